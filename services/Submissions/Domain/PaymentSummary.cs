namespace Submissions.Api.Domain;

/// <summary>What Payments reported about this submission's payment, kept for the practice to read.</summary>
public sealed class PaymentSummary
{
    public required Guid PaymentId { get; init; }
    public required decimal Amount { get; init; }
    public required string Currency { get; init; }
    public string? RemittanceReference { get; init; }

    /// <summary>calculated, awaiting-approval, approved, paid, declined, payment-failed or cancelled.</summary>
    public required string Outcome { get; init; }
    public string? Reason { get; init; }
    public required List<PaymentSummaryLine> Lines { get; init; }

    public PaymentSummary With(string outcome, string? remittanceReference = null, string? reason = null) => new()
    {
        PaymentId = PaymentId,
        Amount = Amount,
        Currency = Currency,
        RemittanceReference = remittanceReference ?? RemittanceReference,
        Outcome = outcome,
        Reason = reason ?? Reason,
        Lines = Copy(Lines),
    };

    public PaymentSummary WithLines(List<PaymentSummaryLine> lines) => new()
    {
        PaymentId = PaymentId,
        Amount = Amount,
        Currency = Currency,
        RemittanceReference = RemittanceReference,
        Outcome = Outcome,
        Reason = Reason,
        Lines = Copy(lines),
    };

    // An owned line belongs to one summary: a new summary gets its own copies.
    private static List<PaymentSummaryLine> Copy(IEnumerable<PaymentSummaryLine> lines) =>
        [.. lines.Select(l => new PaymentSummaryLine { Indicator = l.Indicator, Quantity = l.Quantity, Rate = l.Rate, Amount = l.Amount })];

    public static PaymentSummary Of(Guid paymentId, decimal amount, string currency, string outcome,
        IEnumerable<Platform.Contracts.Payments.PaymentLine>? lines = null, string? remittanceReference = null, string? reason = null) => new()
    {
        PaymentId = paymentId,
        Amount = amount,
        Currency = currency,
        RemittanceReference = remittanceReference,
        Outcome = outcome,
        Reason = reason,
        Lines = [.. (lines ?? []).Select(l => new PaymentSummaryLine { Indicator = l.Indicator, Quantity = l.Quantity, Rate = l.Rate, Amount = l.Amount })],
    };
}

public sealed class PaymentSummaryLine
{
    public required string Indicator { get; init; }
    public required decimal Quantity { get; init; }
    public required decimal Rate { get; init; }
    public required decimal Amount { get; init; }
}
