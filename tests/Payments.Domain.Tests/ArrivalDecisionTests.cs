using Payments.Api.Domain;
using static Payments.Domain.Tests.PaymentsIn;

namespace Payments.Domain.Tests;

/// <summary>What becomes of a submission version given the payments of its period so far: no database, no broker.</summary>
public sealed class ArrivalDecisionTests
{
    private const decimal Threshold = 5000m;
    private static readonly PaymentCalculator.Calculated Small = new([Line], 100.60m, RequiresApproval: false);

    private static ArrivalDecision Decide(int version, PaymentCalculator.Result calculation, params Payment[] samePeriod) =>
        ArrivalDecision.For(version, "FLU", "2026-10", samePeriod, calculation, Threshold);

    [Fact]
    public void A_first_version_is_paid_without_approval_and_cancels_nothing()
    {
        var pay = Assert.IsType<ArrivalDecision.Pay>(Decide(1, Small));

        Assert.Empty(pay.Supersedes);
        Assert.Null(pay.ApprovalReason);
        Assert.Same(Small, pay.Payment);
    }

    [Theory]
    [InlineData(PaymentStatus.Calculated)]
    [InlineData(PaymentStatus.AwaitingApproval)]
    public void A_new_version_supersedes_an_earlier_payment_not_approved_yet(string status)
    {
        var earlier = Status(status, version: 1);

        var pay = Assert.IsType<ArrivalDecision.Pay>(Decide(2, Small, earlier));

        Assert.Same(earlier, Assert.Single(pay.Supersedes));
    }

    [Fact]
    public void Earlier_payments_already_declined_or_cancelled_are_left_alone()
    {
        var pay = Assert.IsType<ArrivalDecision.Pay>(Decide(3, Small, Status(PaymentStatus.Cancelled, 1), Status(PaymentStatus.Declined, 2)));

        Assert.Empty(pay.Supersedes);
    }

    [Theory]
    [InlineData(PaymentStatus.Approved)]
    [InlineData(PaymentStatus.Paid)]
    [InlineData(PaymentStatus.PaymentFailed)]
    public void A_new_version_after_an_earlier_one_was_approved_or_paid_is_refused_as_locked(string status)
    {
        var refuse = Assert.IsType<ArrivalDecision.Refuse>(Decide(2, Small, Status(status, 1)));

        Assert.Equal("submission_locked", refuse.Code);
        Assert.Equal($"Version 1 of FLU 2026-10 was already {status}; it cannot be amended.", refuse.Reason);
    }

    [Fact]
    public void The_lock_names_the_latest_locked_earlier_version()
    {
        var refuse = Assert.IsType<ArrivalDecision.Refuse>(Decide(3, Small, Status(PaymentStatus.Paid, 1), Status(PaymentStatus.PaymentFailed, 2)));

        Assert.Equal("Version 2 of FLU 2026-10 was already payment-failed; it cannot be amended.", refuse.Reason);
    }

    [Fact]
    public void An_older_version_arriving_after_newer_ones_is_stale_against_the_newest()
    {
        var stale = Assert.IsType<ArrivalDecision.Stale>(Decide(1, Small, Status(PaymentStatus.AwaitingApproval, 2), Status(PaymentStatus.Calculated, 3)));

        Assert.Equal(3, stale.NewerVersion);
    }

    [Fact]
    public void An_older_version_arriving_after_a_newer_one_was_paid_is_stale_not_locked()
    {
        var stale = Assert.IsType<ArrivalDecision.Stale>(Decide(1, Small, Status(PaymentStatus.Paid, 2)));

        Assert.Equal(2, stale.NewerVersion);
    }

    [Fact]
    public void A_locked_earlier_version_wins_over_a_newer_one_and_over_a_missing_rule()
    {
        var calculatedLater = Status(PaymentStatus.Calculated, 3);

        Assert.Equal("submission_locked", Assert.IsType<ArrivalDecision.Refuse>(Decide(2, Small, Status(PaymentStatus.Approved, 1), calculatedLater)).Code);
        Assert.Equal("submission_locked", Assert.IsType<ArrivalDecision.Refuse>(
            Decide(2, new PaymentCalculator.NoRule("no rule"), Status(PaymentStatus.Approved, 1))).Code);
    }

    [Fact]
    public void A_version_no_rule_pays_is_rejected_even_when_it_is_stale()
    {
        var refuse = Assert.IsType<ArrivalDecision.Refuse>(Decide(1, new PaymentCalculator.NoRule("There is no payment rule for FLU in 2026/27."),
            Status(PaymentStatus.Calculated, 2)));

        Assert.Equal("no_payment_rule", refuse.Code);
        Assert.Equal("There is no payment rule for FLU in 2026/27.", refuse.Reason);
    }

    [Fact]
    public void A_service_whose_rule_says_so_always_needs_approval()
    {
        var pay = Assert.IsType<ArrivalDecision.Pay>(Decide(1, Small with { RequiresApproval = true }));

        Assert.Equal("FLU payments always need a commissioner's approval", pay.ApprovalReason);
    }

    [Fact]
    public void Only_an_amount_above_the_threshold_needs_approval()
    {
        var above = Assert.IsType<ArrivalDecision.Pay>(Decide(1, Small with { Amount = 5000.01m }));
        var at = Assert.IsType<ArrivalDecision.Pay>(Decide(1, Small with { Amount = 5000m }));

        Assert.Equal("£5,000.01 is above the £5,000.00 approval threshold", above.ApprovalReason);
        Assert.Null(at.ApprovalReason);
    }

    [Fact]
    public void A_stale_version_keeps_its_approval_reason_for_the_record()
    {
        var stale = Assert.IsType<ArrivalDecision.Stale>(Decide(1, Small with { RequiresApproval = true }, Status(PaymentStatus.Calculated, 2)));

        Assert.Equal("FLU payments always need a commissioner's approval", stale.ApprovalReason);
    }
}
