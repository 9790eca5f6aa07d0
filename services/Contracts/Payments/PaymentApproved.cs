namespace Platform.Contracts.Payments;

/// <summary>A commissioner approved a payment; it goes to the ledger next.</summary>
public sealed record PaymentApproved(
    Guid PaymentId,
    Guid SubmissionId,
    int SubmissionVersion,
    string PracticeOds,
    string ApprovedBy,
    DateTimeOffset ApprovedAt,
    string? ApprovedByName = null, // the commissioner's name, for people to read (added; older events have none)
    bool? LocksAmendments = null); // true: no later version of its practice, service and period will be paid (Payments' amendment lock; added, older events have none)
