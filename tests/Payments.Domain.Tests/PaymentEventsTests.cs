using Payments.Api.Domain;
using Platform.Contracts.Payments;
using static Payments.Domain.Tests.PaymentsIn;

namespace Payments.Domain.Tests;

/// <summary>Each move of a payment records the event that announces it, with the fields the wire has always carried.</summary>
public sealed class PaymentEventsTests
{
    private static readonly DateTimeOffset Later = Now.AddHours(3);

    [Fact]
    public void A_calculated_payment_announces_its_lines_and_whether_it_needs_approval()
    {
        var payment = Calculated(approvalReason: "above the threshold");

        var calculated = Assert.IsType<PaymentCalculated>(Assert.Single(payment.DomainEvents));
        Assert.Equal(new PaymentCalculated(payment.Id, payment.SubmissionId, 1, "A81001", "FLU", "2026-10", 100.60m, "GBP", calculated.Lines, true, Now),
            calculated);
        Assert.Equal([new PaymentLine("FLU_65_PLUS", 10, 10.06m, 100.60m)], calculated.Lines);
    }

    [Fact]
    public void A_payment_superseded_on_arrival_announces_only_its_cancellation()
    {
        var payment = Payment.Calculate(Guid.CreateVersion7(), Guid.CreateVersion7(), 1, "A81001", "QWE", "FLU", "2026-10", "2026/27", [Line],
            false, null, null, Now, supersededBy: 2);

        Assert.Equal(PaymentStatus.Cancelled, payment.Status);
        Assert.Equal([new PaymentCancelled(payment.Id, payment.SubmissionId, 1, "A81001", "Superseded by version 2.", Now)], payment.DomainEvents);
    }

    [Fact]
    public void Waiting_for_approval_and_each_reminder_announce_the_decide_by_time_and_the_reminder_number()
    {
        var payment = Calculated(approvalReason: "FLU payments always need a commissioner's approval");

        payment.AwaitApproval(Now.AddDays(2), Now);
        Assert.Equal(1, payment.Remind(Now.AddDays(4)));

        Assert.Equal(
            [
                Waiting(payment, Now.AddDays(2), 0),
                Waiting(payment, Now.AddDays(4), 1),
            ],
            payment.DomainEvents.OfType<PaymentAwaitingApproval>());
    }

    [Fact]
    public void An_approval_and_a_decline_name_who_decided()
    {
        var approved = Status(PaymentStatus.AwaitingApproval);
        var declined = Status(PaymentStatus.AwaitingApproval);

        approved.Approve("commissioner-1", "Dr Q", "fine", Later);
        declined.Decline("commissioner-2", null, "counts wrong", Later);

        Assert.Equal(new PaymentApproved(approved.Id, approved.SubmissionId, 1, "A81001", "commissioner-1", Later, "Dr Q", LocksAmendments: true),
            approved.DomainEvents.Last());
        Assert.Equal(new PaymentDeclined(declined.Id, declined.SubmissionId, 1, "A81001", "FLU", "2026-10", 100.60m, "counts wrong", "commissioner-2",
            Later, null), declined.DomainEvents.Last());
    }

    [Fact]
    public void A_settlement_carries_the_remittance_reference_and_when_it_was_calculated()
    {
        var payment = Calculated();

        payment.MarkPaid("A81001-X481JN2S5X", Later);

        var settled = Assert.IsType<PaymentSettled>(payment.DomainEvents.Last());
        Assert.Equal(new PaymentSettled(payment.Id, payment.SubmissionId, 1, "A81001", "FLU", "2026-10", 100.60m, "GBP", settled.Lines,
            "A81001-X481JN2S5X", Later, Now, LocksAmendments: true), settled);
        Assert.Equal([new PaymentLine("FLU_65_PLUS", 10, 10.06m, 100.60m)], settled.Lines);
    }

    [Fact]
    public void Only_the_posting_failure_that_gives_up_is_announced_with_the_number_of_attempts()
    {
        var payment = Calculated();
        var before = payment.DomainEvents.Count;

        payment.PostingFailed("ledger down", Later, Now);
        Assert.Equal(before, payment.DomainEvents.Count);
        payment.PostingFailed("ledger down", null, Later);

        Assert.Equal(new PaymentFailed(payment.Id, payment.SubmissionId, 1, "A81001", "FLU", "2026-10", 100.60m, "ledger down (after 2 attempts)", Later,
            LocksAmendments: true), payment.DomainEvents.Last());
    }

    [Fact]
    public void An_admin_retry_announces_nothing()
    {
        var payment = Status(PaymentStatus.PaymentFailed);
        var before = payment.DomainEvents.Count;

        payment.RequestRetry("admin", Later);

        Assert.Equal(before, payment.DomainEvents.Count);
    }

    private static PaymentAwaitingApproval Waiting(Payment p, DateTimeOffset decideBy, int reminder) =>
        new(p.Id, p.SubmissionId, 1, "A81001", "QWE", "FLU", "2026-10", 100.60m, "GBP", "FLU payments always need a commissioner's approval", decideBy, reminder);
}
