namespace Notifications.Api.Templates;

/// <summary><c>payment-awaiting-approval.liquid</c>; its link is the approval page.</summary>
public sealed record PaymentAwaitingApprovalModel(SubmissionModel Submission, string Icb, string Amount, string Reason, string DecideBy,
    int ReminderNumber) : SubmissionModel(Submission)
{
    public bool IsReminder => ReminderNumber > 0;
}
