namespace Payments.Api.Domain;

/// <summary>
/// Money posted to a practice. The unique key on (submission, version) makes a second entry
/// for the same submission version impossible, whatever is replayed.
/// </summary>
public sealed class LedgerEntry
{
    public long Id { get; private set; }
    public required Guid PaymentId { get; init; }
    public required Guid SubmissionId { get; init; }
    public required int SubmissionVersion { get; init; }
    public required string PracticeOds { get; init; }
    public required decimal Amount { get; init; }
    public required string Currency { get; init; }
    public required string RemittanceReference { get; init; }
    public required DateTimeOffset PostedAt { get; init; }
}
