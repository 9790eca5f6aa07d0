namespace Platform.Contracts.Payments;

/// <summary>Posting a payment to the ledger kept failing after its retries; the submission ends <c>payment-failed</c>.</summary>
public sealed record PaymentFailed(
    Guid PaymentId,
    Guid SubmissionId,
    int SubmissionVersion,
    string PracticeOds,
    string ServiceCode,
    string Period,
    decimal Amount,
    string Reason,
    DateTimeOffset FailedAt,
    bool? LocksAmendments = null); // true: no later version of its practice, service and period will be paid (Payments' amendment lock; added, older events have none)
