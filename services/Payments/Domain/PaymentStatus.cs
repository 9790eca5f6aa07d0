namespace Payments.Api.Domain;

/// <summary>
/// calculated → [awaiting-approval → approved] → paid; or declined, cancelled (superseded before approval) or payment-failed
/// (posting kept failing; an admin's retry can still take it to paid). No state is skipped: <see cref="CanMove"/> is the whole map.
/// </summary>
public static class PaymentStatus
{
    public const string Calculated = "calculated";
    public const string AwaitingApproval = "awaiting-approval";
    public const string Approved = "approved";
    public const string Paid = "paid";
    public const string Declined = "declined";
    public const string Cancelled = "cancelled";
    public const string PaymentFailed = "payment-failed";

    public static readonly IReadOnlyList<string> All = [Calculated, AwaitingApproval, Approved, Paid, Declined, Cancelled, PaymentFailed];

    private static readonly Dictionary<string, string[]> Moves = new()
    {
        [Calculated] = [AwaitingApproval, Paid, PaymentFailed, Cancelled],
        [AwaitingApproval] = [Approved, Declined, Cancelled],
        [Approved] = [Paid, PaymentFailed],
        [PaymentFailed] = [Paid, PaymentFailed],
        [Paid] = [],
        [Declined] = [],
        [Cancelled] = [],
    };

    public static bool CanMove(string from, string to) => Moves.TryGetValue(from, out var next) && next.Contains(to);

    /// <summary>
    /// The amendment lock, written only here: once a version's payment is here, its (practice, service, period) cannot be amended
    /// any more (<see cref="ArrivalDecision"/> refuses a later version). Submissions refuses one at intake from what the events
    /// of these moves say (<c>LocksAmendments</c>), not from a copy of this list.
    /// </summary>
    public static bool IsLocked(string status) => status is Approved or Paid or PaymentFailed;
}
