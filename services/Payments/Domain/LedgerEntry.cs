namespace Payments.Api.Domain;

/// <summary>
/// Money posted to a practice. Unique keys make a second entry impossible whatever is replayed or however many replicas run:
/// one per payment, one per submission version, and one per (practice, service, period), so two versions are never both paid.
/// </summary>
public sealed class LedgerEntry
{
    public long Id { get; private set; }
    public required Guid PaymentId { get; init; }
    public required Guid SubmissionId { get; init; }
    public required int SubmissionVersion { get; init; }
    public required string PracticeOds { get; init; }
    public required string ServiceCode { get; init; }
    public required string Period { get; init; }
    public required decimal Amount { get; init; }
    public required string Currency { get; init; }
    public required string RemittanceReference { get; init; }
    public required DateTimeOffset PostedAt { get; init; }
}
