using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payments.Api.Application;
using Payments.Api.Data;
using Payments.Api.Domain;
using Payments.Api.Telemetry;
using Platform.Contracts.Payments;
using Platform.Contracts.Submissions;
using Platform.Messaging;

namespace Payments.Api.Consumers;

/// <summary>
/// Calculates an accepted submission version from the year's rules and either posts it to the ledger at once or sets it waiting
/// for a commissioner. An amendment first cancels the earlier versions' payments that are not approved yet; if one already is, the
/// amendment is refused (<see cref="PaymentRefused"/>, <c>submission_locked</c>); a version older than one already seen is cancelled at once. All of it in one
/// transaction with its events, and a replay (same or new MessageId) finds the payment and changes nothing.
/// </summary>
public sealed class SubmissionAcceptedConsumer(PaymentsDbContext db, RulesBook rules, IOptions<ApprovalOptions> approval, ILedger ledger,
    PostingSignal posting, PaymentMetrics metrics, TimeProvider clock, ILogger<SubmissionAcceptedConsumer> logger)
    : InboxConsumer<SubmissionAccepted, PaymentsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<SubmissionAccepted> context)
    {
        var accepted = context.Message;
        var cancellationToken = context.CancellationToken;
        // A practice's submissions (and its registration) are handled one at a time, so two versions arriving together see each other.
        await PracticeLock.TakeAsync(Db, accepted.PracticeOds, cancellationToken);
        var now = clock.GetUtcNow();
        var (practice, samePeriod) = await PracticeAndPeriodAsync(accepted, cancellationToken);
        if (samePeriod.Any(p => p.SubmissionId == accepted.SubmissionId && p.SubmissionVersion == accepted.Version))
        {
            logger.LogInformation("Submission {SubmissionId} v{Version} already has a payment", accepted.SubmissionId, accepted.Version);
            return;
        }

        var financialYear = accepted.FinancialYear ?? PaymentCalculator.FinancialYearOf(accepted.Period);
        var calculation = PaymentCalculator.Calculate(rules.For(financialYear), accepted.ServiceCode,
            accepted.Values.Select(v => (v.Indicator, v.Value)), practice?.ListSize);

        var decision = ArrivalDecision.For(accepted.Version, accepted.ServiceCode, accepted.Period, samePeriod, calculation, approval.Value.Threshold);
        switch (decision)
        {
            case ArrivalDecision.Refuse refuse:
                Refuse(accepted, refuse.Code, refuse.Reason, now);
                break;
            case ArrivalDecision.Stale stale:
                Db.Payments.Add(NewPayment(stale, supersededBy: stale.NewerVersion));
                break;
            case ArrivalDecision.Pay pay:
                // Before this version's payment is made, so their PaymentCancelled events go out before its PaymentCalculated.
                foreach (var earlier in pay.Supersedes) earlier.Supersede(accepted.Version, now);
                var payment = NewPayment(pay, supersededBy: null);
                Db.Payments.Add(payment);
                if (payment.RequiresApproval) payment.AwaitApproval(now + approval.Value.DecisionWindow, now);
                else await PostAtOnceAsync(payment, now, cancellationToken);
                break;
        }

        Payment NewPayment(ArrivalDecision.Calculate calculate, int? supersededBy) =>
            Payment.Calculate(Guid.CreateVersion7(), accepted.SubmissionId, accepted.Version, accepted.PracticeOds, practice?.Icb, accepted.ServiceCode,
                accepted.Period, financialYear, calculate.Payment.Lines, calculate.ApprovalReason is not null, calculate.ApprovalReason,
                Activity.Current?.Id, now, supersededBy);
    }

    /// <summary>
    /// The practice (its list size and ICB) and the period's payments so far (tracked: an amendment supersedes them), in one
    /// query; a second one only for a practice whose registration has not arrived yet. Both are compiled once: building the
    /// first at every event was 8% of the service's CPU in a profile.
    /// </summary>
    private async Task<(Practice? Practice, List<Payment> SamePeriod)> PracticeAndPeriodAsync(SubmissionAccepted accepted, CancellationToken cancellationToken)
    {
        var found = await PracticeAndPeriodQuery(Db, accepted.PracticeOds, accepted.ServiceCode, accepted.Period, cancellationToken);
        if (found is not null) return (found.Practice, found.SamePeriod);

        return (null, await SamePeriodQuery(Db, accepted.PracticeOds, accepted.ServiceCode, accepted.Period).ToListAsync(cancellationToken));
    }

    private sealed record PracticeWithPeriod(Practice Practice, List<Payment> SamePeriod);

    private static readonly Func<PaymentsDbContext, string, string, string, CancellationToken, Task<PracticeWithPeriod?>> PracticeAndPeriodQuery =
        EF.CompileAsyncQuery((PaymentsDbContext db, string practiceOds, string serviceCode, string period, CancellationToken _) =>
            db.Practices.Where(practice => practice.Ods == practiceOds)
                .Select(practice => new PracticeWithPeriod(practice,
                    db.Payments.Where(p => p.PracticeOds == practiceOds && p.ServiceCode == serviceCode && p.Period == period).ToList()))
                .SingleOrDefault());

    private static readonly Func<PaymentsDbContext, string, string, string, IAsyncEnumerable<Payment>> SamePeriodQuery =
        EF.CompileAsyncQuery((PaymentsDbContext db, string practiceOds, string serviceCode, string period) =>
            db.Payments.Where(p => p.PracticeOds == practiceOds && p.ServiceCode == serviceCode && p.Period == period));

    /// <summary>
    /// A payment that needs no approval is posted to the ledger in this transaction (InboxConsumer commits after Handle returns).
    /// When the ledger refuses now, the posting job takes it, counting and retrying the attempts.
    /// </summary>
    private async Task PostAtOnceAsync(Payment payment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var activity = PaymentTrace.Source.StartActivity("post payment to ledger");
        PaymentTrace.Tag(activity, payment);
        var reference = RemittanceReference.For(payment.PracticeOds, payment.Id);
        try
        {
            await ledger.PostAsync(Db, payment, reference, now, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Posting payment {PaymentId} at once failed; the posting job retries it", payment.Id);
            posting.WakeAfterCommit(Db);
            return;
        }

        payment.MarkPaidOnCalculation(reference, now);
        AfterCommit(() =>
        {
            metrics.Settled(payment.ServiceCode, payment.Amount);
            logger.LogInformation("Payment {PaymentId} of £{Amount} posted with reference {Reference}", payment.Id, payment.Amount, reference);
        });
    }

    private void Refuse(SubmissionAccepted accepted, string code, string reason, DateTimeOffset now)
    {
        logger.LogWarning("Payment for submission {SubmissionId} v{Version} refused: {Code} {Reason}", accepted.SubmissionId, accepted.Version, code, reason);
        Db.AddOutboxMessage(new PaymentRefused(accepted.SubmissionId, accepted.Version, accepted.PracticeOds, accepted.ServiceCode,
            accepted.Period, code, reason, now, accepted.SubmittedBy));
    }
}
