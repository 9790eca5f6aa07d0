namespace Platform.Contracts.Payments;

/// <summary>
/// Payments will not pay a submission version, so no payment is made for it: an earlier version's payment already locks its
/// period (<see cref="PaymentRefusalCodes.SubmissionLocked"/>) or no payment rule applies
/// (<see cref="PaymentRefusalCodes.NoPaymentRule"/>). The submission ends <c>rejected</c>.
/// </summary>
public sealed record PaymentRefused(
    Guid SubmissionId,
    int SubmissionVersion,
    string PracticeOds,
    string ServiceCode,
    string Period,
    string Code,
    string Reason,
    DateTimeOffset RefusedAt,
    string? SubmittedBy);
