using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payments.Api.Data;
using Payments.Api.Domain;
using Payments.Api.Extensions;
using Payments.Api.Ledger;
using Platform.Contracts.Payments;
using Platform.Contracts.Submissions;
using Platform.Messaging;

namespace Payments.Api.Consumers;

/// <summary>
/// Calculates an accepted submission version from the year's rules and either makes it due for posting or sets it waiting for a
/// commissioner. An amendment first cancels the earlier versions' payments that are not approved yet; if one already is, the
/// amendment is rejected (<c>submission_locked</c>); a version older than one already seen is cancelled at once. All of it in one
/// transaction with its events, and a replay (same or new MessageId) finds the payment and changes nothing.
/// </summary>
public sealed class SubmissionAcceptedConsumer(PaymentsDbContext db, RulesBook rules, IOptions<ApprovalOptions> approval, PostingSignal posting,
    TimeProvider clock, ILogger<SubmissionAcceptedConsumer> logger)
    : InboxConsumer<SubmissionAccepted, PaymentsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<SubmissionAccepted> context)
    {
        var accepted = context.Message;
        var cancellationToken = context.CancellationToken;
        if (await Db.Payments.AnyAsync(p => p.SubmissionId == accepted.SubmissionId && p.SubmissionVersion == accepted.Version, cancellationToken))
        {
            logger.LogInformation("Submission {SubmissionId} v{Version} already has a payment", accepted.SubmissionId, accepted.Version);
            return;
        }

        // A practice's submissions (and its registration) are handled one at a time, so two versions arriving together see each other.
        await PracticeLock.TakeAsync(Db, accepted.PracticeOds, cancellationToken);
        var now = clock.GetUtcNow();
        var others = await Db.Payments
            .Where(p => p.PracticeOds == accepted.PracticeOds && p.ServiceCode == accepted.ServiceCode && p.Period == accepted.Period)
            .ToListAsync(cancellationToken);
        // Only an earlier version's approval or payment locks this one out; a newer version that is already paid makes this
        // one stale, and it is cancelled below like any version that arrives after a newer one.
        var locked = others.Where(p => PaymentStatus.IsLocked(p.Status) && p.SubmissionVersion < accepted.Version)
            .OrderByDescending(p => p.SubmissionVersion).FirstOrDefault();
        if (locked is not null)
        {
            Reject(accepted, "submission_locked",
                $"Version {locked.SubmissionVersion} of {accepted.ServiceCode} {accepted.Period} was already {locked.Status}; it cannot be amended.", now);
            return;
        }

        var financialYear = accepted.FinancialYear ?? PaymentCalculator.FinancialYearOf(accepted.Period);
        var practice = await Db.Practices.AsNoTracking().FirstOrDefaultAsync(p => p.Ods == accepted.PracticeOds, cancellationToken);
        var result = PaymentCalculator.Calculate(rules.For(financialYear), accepted.ServiceCode,
            accepted.Values.Select(v => (v.Indicator, v.Value)), practice?.ListSize);
        if (result is PaymentCalculator.NoRule noRule)
        {
            Reject(accepted, "no_payment_rule", noRule.Reason, now);
            return;
        }
        var calculated = (PaymentCalculator.Calculated)result;

        var threshold = approval.Value.Threshold;
        var approvalReason = calculated.RequiresApproval
            ? $"{accepted.ServiceCode} payments always need a commissioner's approval"
            : calculated.Amount > threshold ? $"£{calculated.Amount:N2} is above the £{threshold:N2} approval threshold" : null;
        var payment = Payment.Calculate(Guid.CreateVersion7(), accepted.SubmissionId, accepted.Version, accepted.PracticeOds, practice?.Icb,
            accepted.ServiceCode, accepted.Period, financialYear, calculated.Lines, approvalReason is not null, approvalReason,
            Activity.Current?.Id, now);
        Db.Payments.Add(payment);

        var newer = others.Where(p => p.SubmissionVersion > accepted.Version).OrderByDescending(p => p.SubmissionVersion).FirstOrDefault();
        if (newer is not null)
        {
            // This version arrived after a later one: it was superseded before it was ever calculated.
            payment.Cancel($"Superseded by version {newer.SubmissionVersion}.", now);
            Db.AddOutboxMessage(new PaymentCancelled(payment.Id, payment.SubmissionId, payment.SubmissionVersion, payment.PracticeOds,
                $"Superseded by version {newer.SubmissionVersion}.", now));
            return;
        }

        foreach (var earlier in others.Where(p => p.Status is PaymentStatus.Calculated or PaymentStatus.AwaitingApproval))
        {
            var reason = $"Superseded by version {accepted.Version}.";
            earlier.Cancel(reason, now);
            Db.AddOutboxMessage(new PaymentCancelled(earlier.Id, earlier.SubmissionId, earlier.SubmissionVersion, earlier.PracticeOds, reason, now));
        }

        Db.AddOutboxMessage(new PaymentCalculated(payment.Id, payment.SubmissionId, payment.SubmissionVersion, payment.PracticeOds,
            payment.ServiceCode, payment.Period, payment.Amount, payment.Currency,
            [.. payment.Lines.Select(l => new PaymentLine(l.Indicator, l.Quantity, l.Rate, l.Amount))], payment.RequiresApproval, now));
        if (payment.RequiresApproval)
        {
            payment.AwaitApproval(now + approval.Value.DecisionWindow, now);
            Db.AddOutboxMessage(new PaymentAwaitingApproval(payment.Id, payment.SubmissionId, payment.SubmissionVersion, payment.PracticeOds,
                payment.Icb ?? "", payment.ServiceCode, payment.Period, payment.Amount, payment.Currency, approvalReason!, payment.DecideBy!.Value, 0));
        }
        else
        {
            posting.WakeAfterCommit(Db); // InboxConsumer commits after Handle returns
        }
    }

    private void Reject(SubmissionAccepted accepted, string code, string reason, DateTimeOffset now)
    {
        logger.LogWarning("Submission {SubmissionId} v{Version} rejected: {Code} {Reason}", accepted.SubmissionId, accepted.Version, code, reason);
        Db.AddOutboxMessage(new SubmissionRejected(accepted.SubmissionId, accepted.Version, accepted.PracticeOds, accepted.ServiceCode,
            accepted.Period, code, reason, now, accepted.SubmittedBy));
    }
}
