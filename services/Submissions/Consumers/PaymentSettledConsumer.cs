using MassTransit;
using Platform.Contracts.Payments;
using Platform.Messaging;
using Submissions.Api.Data;
using Submissions.Api.Domain;
using Submissions.Api.Telemetry;

namespace Submissions.Api.Consumers;

/// <summary>Records a settled payment on its submission, so the practice sees <c>paid</c> and the remittance reference.</summary>
public sealed class PaymentSettledConsumer(SubmissionsDbContext db, TimeProvider clock, SubmissionMetrics metrics, ILogger<PaymentSettledConsumer> logger)
    : InboxConsumer<PaymentSettled, SubmissionsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<PaymentSettled> context)
    {
        var e = context.Message;
        var submission = await SubmissionEvents.FindAsync(Db, e.SubmissionId, e.SubmissionVersion, logger, nameof(PaymentSettled), context.CancellationToken);
        submission?.RecordAmendmentLock(e.LocksAmendments);
        if (submission?.RecordPaid(PaymentSummary.Of(e.PaymentId, e.Amount, e.Currency, SubmissionStatus.Paid, e.Lines, e.RemittanceReference),
            clock.GetUtcNow(), e.CalculatedAt) == true) Finished(submission);
    }

    private void Finished(Submission submission) => AfterCommit(() => metrics.Finished(submission));
}
