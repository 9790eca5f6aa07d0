namespace Payments.Api.Domain;

/// <summary>
/// The simple rule: every reported item is paid at one fee, each line rounded to the penny
/// (midpoint away from zero), and the amount is the sum of the lines.
/// </summary>
public sealed class PerItemRule(decimal feePerItem)
{
    public IReadOnlyList<PaymentLineItem> Calculate(IEnumerable<(string Indicator, decimal Quantity)> values) =>
        [.. values.Select(v => new PaymentLineItem
        {
            Indicator = v.Indicator,
            Quantity = v.Quantity,
            Rate = feePerItem,
            Amount = Math.Round(v.Quantity * feePerItem, 2, MidpointRounding.AwayFromZero),
        })];
}
