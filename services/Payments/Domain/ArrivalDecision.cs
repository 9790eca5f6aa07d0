using Platform.Contracts.Payments;

namespace Payments.Api.Domain;

/// <summary>
/// What becomes of a submission version when it arrives, given the payments already made for the same practice, service and
/// period and what the rules make of it. In this order: an earlier version already approved or paid locks the period
/// (<c>submission_locked</c>); no rule pays it (<c>no_payment_rule</c>); a newer version arrived first, so this one is stale;
/// otherwise it is paid, after cancelling the earlier versions that are not approved yet.
/// </summary>
public abstract record ArrivalDecision
{
    public static ArrivalDecision For(int version, string serviceCode, string period, IReadOnlyCollection<Payment> samePeriod,
        PaymentCalculator.Result calculation, decimal approvalThreshold)
    {
        // Only an earlier version's approval or payment locks this one out; a newer version that is already paid makes this
        // one stale instead, like any version that arrives after a newer one.
        var locked = samePeriod.Where(p => PaymentStatus.IsLocked(p.Status) && p.SubmissionVersion < version)
            .OrderByDescending(p => p.SubmissionVersion).FirstOrDefault();
        if (locked is not null)
        {
            return new Refuse(PaymentRefusalCodes.SubmissionLocked,
                $"Version {locked.SubmissionVersion} of {serviceCode} {period} was already {locked.Status}; it cannot be amended.");
        }
        if (calculation is PaymentCalculator.NoRule noRule) return new Refuse(PaymentRefusalCodes.NoPaymentRule, noRule.Reason);

        var calculated = (PaymentCalculator.Calculated)calculation;
        var approvalReason = calculated.RequiresApproval
            ? $"{serviceCode} payments always need a commissioner's approval"
            : calculated.Amount > approvalThreshold ? $"£{calculated.Amount:N2} is above the £{approvalThreshold:N2} approval threshold" : null;
        var newer = samePeriod.Where(p => p.SubmissionVersion > version).OrderByDescending(p => p.SubmissionVersion).FirstOrDefault();
        if (newer is not null) return new Stale(calculated, approvalReason, newer.SubmissionVersion);

        return new Pay(calculated, approvalReason,
            [.. samePeriod.Where(p => p.Status is PaymentStatus.Calculated or PaymentStatus.AwaitingApproval)]);
    }

    /// <summary>No payment: it is refused with <paramref name="Code"/> (<see cref="PaymentRefusalCodes"/>), and the submission version ends rejected.</summary>
    public sealed record Refuse(string Code, string Reason) : ArrivalDecision;

    /// <summary>A payment is made; <see cref="ApprovalReason"/> is null when it needs no approval.</summary>
    public abstract record Calculate(PaymentCalculator.Calculated Payment, string? ApprovalReason) : ArrivalDecision;

    /// <summary>A newer version arrived first: this one's payment is cancelled as soon as it is made.</summary>
    public sealed record Stale(PaymentCalculator.Calculated Payment, string? ApprovalReason, int NewerVersion) : Calculate(Payment, ApprovalReason);

    /// <summary>This version is paid; <see cref="Supersedes"/> are the earlier versions' payments it cancels first.</summary>
    public sealed record Pay(PaymentCalculator.Calculated Payment, string? ApprovalReason, IReadOnlyList<Payment> Supersedes)
        : Calculate(Payment, ApprovalReason);
}
