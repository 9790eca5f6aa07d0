using MassTransit;
using Platform.Contracts.Payments;
using Platform.Messaging;
using Submissions.Api.Data;
using Submissions.Api.Domain;
using Submissions.Api.Telemetry;

namespace Submissions.Api.Consumers;

/// <summary>Posting to the ledger kept failing: the submission ends <c>payment-failed</c> with the reason (an admin's retry can still pay it).</summary>
public sealed class PaymentFailedConsumer(SubmissionsDbContext db, TimeProvider clock, SubmissionMetrics metrics, ILogger<PaymentFailedConsumer> logger)
    : InboxConsumer<PaymentFailed, SubmissionsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<PaymentFailed> context)
    {
        var e = context.Message;
        var submission = await SubmissionEvents.FindAsync(Db, e.SubmissionId, e.SubmissionVersion, logger, nameof(PaymentFailed), context.CancellationToken);
        if (submission is null) return;
        submission.RecordAmendmentLock(e.LocksAmendments);
        var payment = submission.Payment?.With(SubmissionStatus.PaymentFailed, reason: e.Reason)
            ?? PaymentSummary.Of(e.PaymentId, e.Amount, "GBP", SubmissionStatus.PaymentFailed, reason: e.Reason);
        if (submission.RecordPaymentFailed(payment, e.Reason, clock.GetUtcNow())) Finished(submission);
    }

    private void Finished(Submission submission) => AfterCommit(() => metrics.Finished(submission));
}
