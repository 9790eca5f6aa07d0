namespace Submissions.Api.Domain;

/// <summary>
/// received → validated → calculated → [awaiting-approval → approved] → paid;
/// terminal outcomes paid, rejected, declined, payment-failed, and superseded (a newer version replaced it before approval).
/// An admin's retry can still take payment-failed to paid.
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
    public const string Superseded = "superseded";

    public static readonly IReadOnlyList<string> All =
        [Received, Validated, Calculated, AwaitingApproval, Approved, Paid, Rejected, Declined, PaymentFailed, Superseded];

    public static bool IsTerminal(string status) => status is Paid or Rejected or Declined or PaymentFailed or Superseded;

    /// <summary>Statuses after which nothing changes any more (payment-failed can still be retried into paid).</summary>
    public static bool IsFinal(string status) => status is Paid or Rejected or Declined or Superseded;

    /// <summary>How far along the lifecycle a status is: a submission only ever moves to a higher rank.</summary>
    public static int Rank(string status) => status switch
    {
        Received => 0,
        Validated => 1,
        Calculated => 2,
        AwaitingApproval => 3,
        Approved => 4,
        PaymentFailed => 5,
        Paid or Rejected or Declined or Superseded => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a submission status."),
    };
}
