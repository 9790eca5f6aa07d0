namespace Submissions.Api.Domain;

/// <summary>
/// received → validated → calculated → [awaiting-approval → approved] → paid;
/// terminal outcomes paid, rejected, declined, payment-failed.
/// </summary>
public static class SubmissionStatus
{
    public const string Received = "received";
    public const string Validated = "validated";
    public const string Calculated = "calculated";
    public const string AwaitingApproval = "awaiting-approval";
    public const string Approved = "approved";
    public const string Paid = "paid";
    public const string Rejected = "rejected";
    public const string Declined = "declined";
    public const string PaymentFailed = "payment-failed";

    public static bool IsTerminal(string status) => status is Paid or Rejected or Declined or PaymentFailed;
}
