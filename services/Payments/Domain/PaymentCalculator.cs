namespace Payments.Api.Domain;

/// <summary>
/// Works out a submission's payment line by line from the year's rules:
/// QOF: quantity = points, rate = value per point × (list size ÷ England average), rounded to 4 places;
/// items: quantity = count, rate = the fee per item. Each line's amount = quantity × rate rounded to the penny
/// (halves away from zero), and the payment is the sum of the lines, so the lines always add up to it.
/// </summary>
public static class PaymentCalculator
{
    public abstract record Result;
    public sealed record Calculated(IReadOnlyList<PaymentLineItem> Lines, decimal Amount, bool RequiresApproval) : Result;
    public sealed record NoRule(string Reason) : Result;

    public static Result Calculate(PaymentRules? rules, string serviceCode, IEnumerable<(string Indicator, decimal Quantity)> values, int? listSize)
    {
        if (rules is null) return new NoRule($"There are no payment rules for the financial year of this period.");
        var service = rules.Service(serviceCode);
        if (service is null) return new NoRule($"There is no payment rule for {serviceCode} in {rules.FinancialYear}.");

        var lines = new List<PaymentLineItem>();
        foreach (var (indicator, quantity) in values)
        {
            decimal rate;
            if (service.Kind == ServiceRule.QofKind && service.Indicators?.Contains(indicator) == true && service.ValuePerPoint is { } perPoint)
            {
                rate = rules.Rounding.Rate(perPoint * (service.ListSizeAdjusted ? rules.ListSize.Adjustment(listSize) : 1m));
            }
            else if (service.Kind == ServiceRule.ItemKind && service.FeesPerItem?.TryGetValue(indicator, out var fee) == true)
            {
                rate = fee;
            }
            else
            {
                return new NoRule($"There is no payment rule for {serviceCode} indicator {indicator} in {rules.FinancialYear}.");
            }
            lines.Add(new PaymentLineItem { Indicator = indicator, Quantity = quantity, Rate = rate, Amount = rules.Rounding.Amount(quantity * rate) });
        }
        return new Calculated(lines, lines.Sum(l => l.Amount), service.RequiresApproval);
    }

    /// <summary>The financial year a period falls in: 2026-10 and 2027-03 are in 2026/27; quarters are financial-year quarters (2026-Q4 is in 2026/27).</summary>
    public static string FinancialYearOf(string period)
    {
        if (period.Contains('/')) return period;
        var year = int.Parse(period[..4], System.Globalization.CultureInfo.InvariantCulture);
        if (period[5] != 'Q' && int.Parse(period[5..], System.Globalization.CultureInfo.InvariantCulture) < 4) year--;
        return $"{year}/{(year + 1) % 100:00}";
    }
}
