namespace Platform.Contracts.Payments;

/// <summary>Payments worked out what a submission version is worth, line by line.</summary>
public sealed record PaymentCalculated(
    Guid PaymentId,
    Guid SubmissionId,
    int SubmissionVersion,
    string PracticeOds,
    string ServiceCode,
    string Period,
    decimal Amount,
    string Currency,
    IReadOnlyList<PaymentLine> Lines,
    bool RequiresApproval,
    DateTimeOffset CalculatedAt);
