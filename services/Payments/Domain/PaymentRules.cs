namespace Payments.Api.Domain;

/// <summary>
/// One financial year's payment rules, seeded from a versioned JSON file: value per QOF point and the list-size adjustment,
/// a fee per item for item services, the rounding rule, and which services always need a commissioner's approval.
/// </summary>
public sealed record PaymentRules(
    string FinancialYear, string Version, DateOnly PublishedAt, string Currency, RoundingRule Rounding, ListSizeRule ListSize,
    IReadOnlyList<ServiceRule> Services)
{
    public ServiceRule? Service(string serviceCode) => Services.FirstOrDefault(s => s.ServiceCode == serviceCode);
}

/// <summary>
/// Rates are rounded to <see cref="RateDecimals"/> places and each line's amount to <see cref="AmountDecimals"/> (the penny),
/// halves away from zero; the payment is the sum of its lines.
/// </summary>
public sealed record RoundingRule(int RateDecimals, int AmountDecimals, string Midpoint, string Description)
{
    public decimal Rate(decimal value) => Math.Round(value, RateDecimals, MidpointRounding.AwayFromZero);

    public decimal Amount(decimal value) => Math.Round(value, AmountDecimals, MidpointRounding.AwayFromZero);
}

/// <summary>QOF rates are multiplied by the practice's list size ÷ <see cref="EnglandAverage"/>; an unknown list size counts as the average.</summary>
public sealed record ListSizeRule(int EnglandAverage, string Description)
{
    public decimal Adjustment(int? practiceListSize) =>
        practiceListSize is > 0 ? (decimal)practiceListSize.Value / EnglandAverage : 1m;
}

public sealed record ServiceRule(
    string ServiceCode, string Kind, decimal? ValuePerPoint, bool ListSizeAdjusted, bool RequiresApproval,
    IReadOnlyList<string>? Indicators, IReadOnlyDictionary<string, decimal>? FeesPerItem)
{
    public const string QofKind = "qof";
    public const string ItemKind = "item";

    /// <summary>Every indicator this rule pays for.</summary>
    public IEnumerable<string> PaidIndicators => Kind == QofKind ? Indicators ?? [] : FeesPerItem?.Keys ?? Enumerable.Empty<string>();
}
