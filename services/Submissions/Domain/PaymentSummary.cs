namespace Submissions.Api.Domain;

/// <summary>What Payments reported about this submission's payment, kept for the practice to read.</summary>
public sealed class PaymentSummary
{
    public required Guid PaymentId { get; init; }
    public required decimal Amount { get; init; }
    public required string Currency { get; init; }
    public required string RemittanceReference { get; init; }
    public required string Outcome { get; init; }
    public required List<PaymentSummaryLine> Lines { get; init; }
}

public sealed class PaymentSummaryLine
{
    public required string Indicator { get; init; }
    public required decimal Quantity { get; init; }
    public required decimal Rate { get; init; }
    public required decimal Amount { get; init; }
}
