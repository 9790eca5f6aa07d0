using Payments.Api.Domain;

namespace Payments.Domain.Tests;

/// <summary>
/// The amendment lock, Payments' rule (Submissions learns it from the events, <c>LocksAmendments</c>): once a version's payment
/// is approved, paid or failed in posting, no later version of its practice, service and period is paid. No database, no broker.
/// </summary>
public sealed class AmendmentLockTests
{
    [Theory]
    [InlineData(PaymentStatus.Calculated, false)]
    [InlineData(PaymentStatus.AwaitingApproval, false)]
    [InlineData(PaymentStatus.Approved, true)]
    [InlineData(PaymentStatus.Paid, true)]
    [InlineData(PaymentStatus.PaymentFailed, true)]
    [InlineData(PaymentStatus.Declined, false)]
    [InlineData(PaymentStatus.Cancelled, false)]
    public void A_payment_locks_its_period_once_approved_paid_or_failed_in_posting(string status, bool locks)
    {
        Assert.Equal(locks, PaymentStatus.IsLocked(status));
    }

    [Fact]
    public void Every_status_has_an_answer()
    {
        Assert.Equal(7, PaymentStatus.All.Count);
        Assert.Equal([PaymentStatus.Approved, PaymentStatus.Paid, PaymentStatus.PaymentFailed], PaymentStatus.All.Where(PaymentStatus.IsLocked));
    }
}
