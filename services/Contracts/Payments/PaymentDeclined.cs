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
    DateTimeOffset DeclinedAt);
