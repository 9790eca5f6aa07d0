namespace Platform.Contracts.Payments;

/// <summary>A payment was posted to the ledger; the remittance reference is what the practice sees on its bank statement.</summary>
public sealed record PaymentSettled(
    Guid PaymentId,
    Guid SubmissionId,
    int SubmissionVersion,
    string PracticeOds,
    string ServiceCode,
    string Period,
    decimal Amount,
    string Currency,
    IReadOnlyList<PaymentLine> Lines,
    string RemittanceReference,
    DateTimeOffset SettledAt,
    DateTimeOffset? CalculatedAt = null, // when it was calculated, for a consumer that sees the settlement first (added; older events have none)
    bool? LocksAmendments = null); // true: no later version of its practice, service and period will be paid (Payments' amendment lock; added, older events have none)
