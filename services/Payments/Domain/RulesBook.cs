namespace Payments.Api.Domain;

/// <summary>The payment rules of every financial year the service knows.</summary>
public sealed class RulesBook(IReadOnlyList<PaymentRules> years)
{
    public IReadOnlyList<PaymentRules> Years { get; } = [.. years.OrderBy(y => y.FinancialYear, StringComparer.Ordinal)];

    public PaymentRules? For(string financialYear) => Years.FirstOrDefault(y => y.FinancialYear == financialYear);
}
