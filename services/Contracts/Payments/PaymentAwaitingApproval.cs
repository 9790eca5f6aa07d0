namespace Platform.Contracts.Payments;

/// <summary>
/// A payment waits for a commissioner of the practice's ICB. Published when it starts waiting
/// (<see cref="ReminderNumber"/> 0) and again as a reminder each time its decision window passes.
/// </summary>
public sealed record PaymentAwaitingApproval(
    Guid PaymentId,
    Guid SubmissionId,
    int SubmissionVersion,
    string PracticeOds,
    string Icb,
    string ServiceCode,
    string Period,
    decimal Amount,
    string Currency,
    string Reason,
    DateTimeOffset DecideBy,
    int ReminderNumber);
