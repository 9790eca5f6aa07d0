using Platform.Contracts.Submissions;
using Submissions.Api.Domain;

namespace Submissions.Domain.Tests;

public sealed class SubmissionLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static Submission Validated()
    {
        var submission = Submission.Receive(Guid.NewGuid(), "A81001", "FLU", "2026-10", "2026/27", 1,
            [new SubmittedValue { Indicator = "FLU_65_PLUS", Value = 120 }], new string('a', 64), "key", "user", Now);
        submission.MarkValidated(Now);
        return submission;
    }

    private static PaymentSummary Payment(string outcome, string? reference = null) =>
        PaymentSummary.Of(Guid.NewGuid(), 1207.20m, "GBP", outcome, [new Platform.Contracts.Payments.PaymentLine("FLU_65_PLUS", 120, 10.06m, 1207.20m)], reference);

    [Fact]
    public void Each_status_is_recorded_once_and_never_left_for_an_earlier_one()
    {
        var submission = Validated();
        Assert.True(submission.RecordApproved("c", Now));
        Assert.False(submission.RecordCalculated(Payment("calculated"), true, Now));
        Assert.False(submission.RecordAwaitingApproval(1m, "QOF", Now, Now));
        Assert.False(submission.RecordApproved("c", Now));
        Assert.True(submission.RecordPaid(Payment("paid", "A81001-0000000000"), Now));
        Assert.False(submission.RecordPaymentFailed(Payment("payment-failed"), "late", Now));
        Assert.False(submission.RecordRejected("x", "late", Now));

        // The late steps join the timeline once; the late failure and rejection do not, and the status stays paid.
        Assert.Equal(["received", "validated", "approved", "calculated", "awaiting-approval", "paid"], submission.Timeline.Select(e => e.Status));
        Assert.Equal("paid", submission.Status);
    }

    [Fact]
    public void The_period_is_locked_only_when_payments_says_so_whatever_the_status()
    {
        var submission = Validated();

        Assert.True(submission.RecordApproved("c", Now));
        submission.RecordAmendmentLock(null); // an event from before Payments said
        submission.RecordAmendmentLock(false);
        Assert.False(submission.LocksAmendments);

        // A late event still counts: the lock does not depend on the status moving.
        Assert.True(submission.RecordPaid(Payment("paid", "A81001-0000000000"), Now));
        Assert.False(submission.RecordApproved("c", Now));
        submission.RecordAmendmentLock(true);
        submission.RecordAmendmentLock(null);
        Assert.True(submission.LocksAmendments);
    }

    [Fact]
    public void A_step_that_arrives_after_a_later_one_is_on_the_timeline_at_the_time_it_happened()
    {
        var submission = Validated();
        submission.RecordAwaitingApproval(1207.20m, "QOF", Now.AddDays(2), Now.AddSeconds(2));
        submission.RecordCalculated(Payment("calculated"), true, Now.AddSeconds(1));
        submission.RecordCalculated(Payment("calculated"), true, Now.AddSeconds(1));

        Assert.Equal("awaiting-approval", submission.Status);
        Assert.Equal(["received", "validated", "calculated", "awaiting-approval"],
            submission.Timeline.OrderBy(e => e.At).Select(e => e.Status));
    }

    [Fact]
    public void A_late_calculation_fills_in_the_lines_but_keeps_the_current_outcome()
    {
        var submission = Validated();
        submission.RecordAwaitingApproval(1207.20m, "threshold", Now.AddDays(2), Now);
        submission.RecordCalculated(Payment("calculated"), true, Now);

        Assert.Equal("awaiting-approval", submission.Status);
        Assert.Equal("awaiting-approval", submission.Payment!.Outcome);
        Assert.Single(submission.Payment.Lines);
    }

    [Fact]
    public void A_failed_payment_can_still_be_paid_after_a_retry_but_a_paid_one_never_fails()
    {
        var submission = Validated();
        Assert.True(submission.RecordPaymentFailed(Payment("payment-failed"), "ledger down", Now));
        Assert.True(submission.RecordPaid(Payment("paid", "A81001-0000000001"), Now));
        Assert.Equal(["received", "validated", "payment-failed", "paid"], submission.Timeline.Select(e => e.Status));
    }

    [Fact]
    public void A_stalled_submission_is_marked_once()
    {
        var submission = Validated();
        Assert.True(submission.MarkStalled(Now));
        Assert.False(submission.MarkStalled(Now.AddMinutes(1)));
        Assert.Equal(Now, submission.StalledAt);
    }

    [Fact]
    public void Validation_records_the_acceptance_payments_hears_of_and_stalling_records_one_report()
    {
        var submission = Validated();

        var accepted = Assert.IsType<SubmissionAccepted>(Assert.Single(submission.DomainEvents));
        Assert.Equal((submission.Id, 1, "A81001", "FLU", "2026-10", "2026/27", "user", Now),
            (accepted.SubmissionId, accepted.Version, accepted.PracticeOds, accepted.ServiceCode, accepted.Period, accepted.FinancialYear, accepted.SubmittedBy, accepted.AcceptedAt));
        Assert.Equal([new IndicatorValue("FLU_65_PLUS", 120)], accepted.Values);

        submission.MarkStalled(Now.AddMinutes(30));
        submission.MarkStalled(Now.AddMinutes(31));
        var stalled = Assert.IsType<SubmissionStalled>(Assert.Single(submission.DomainEvents.Skip(1)));
        Assert.Equal((submission.Status, TimeSpan.FromMinutes(30)), (stalled.Status, stalled.StalledFor));
    }
}
