namespace Payments.Api.Domain;

/// <summary>The payment for one version of one submission.</summary>
public sealed class Payment
{
    public required Guid Id { get; init; }
    public required Guid SubmissionId { get; init; }
    public required int SubmissionVersion { get; init; }
    public required string PracticeOds { get; init; }
    public required string ServiceCode { get; init; }
    public required string Period { get; init; }
    public required decimal Amount { get; init; }
    public required string Currency { get; init; }
    public required List<PaymentLineItem> Lines { get; init; }
    public required string Status { get; set; }
    public string? RemittanceReference { get; set; }
    public required DateTimeOffset CalculatedAt { get; init; }
    public DateTimeOffset? SettledAt { get; set; }
    public uint RowVersion { get; private set; }
}

public sealed class PaymentLineItem
{
    public required string Indicator { get; init; }
    public required decimal Quantity { get; init; }
    public required decimal Rate { get; init; }
    public required decimal Amount { get; init; }
}
