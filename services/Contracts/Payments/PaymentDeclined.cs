namespace Platform.Contracts.Payments;

/// <summary>A commissioner declined a payment; the submission ends <c>declined</c>.</summary>
public sealed record PaymentDeclined(
    Guid PaymentId,
    Guid SubmissionId,
    int SubmissionVersion,
    string PracticeOds,
    string ServiceCode,
    string Period,
    decimal Amount,
    string Reason,
    string DeclinedBy,
    DateTimeOffset DeclinedAt,
    string? DeclinedByName = null); // the commissioner's name, for people to read (added; older events have none)
