using MassTransit;
using Platform.Contracts.Payments;
using Platform.Messaging;
using Submissions.Api.Data;
using Submissions.Api.Domain;
using Submissions.Api.Telemetry;

namespace Submissions.Api.Consumers;

/// <summary>A newer version superseded this one and its payment was cancelled before approval: the version ends <c>superseded</c>.</summary>
public sealed class PaymentCancelledConsumer(SubmissionsDbContext db, TimeProvider clock, SubmissionMetrics metrics, ILogger<PaymentCancelledConsumer> logger)
    : InboxConsumer<PaymentCancelled, SubmissionsDbContext>(db)
{
    public const string CancelledOutcome = "cancelled";

    protected override async Task Handle(ConsumeContext<PaymentCancelled> context)
    {
        var e = context.Message;
        var submission = await SubmissionEvents.FindAsync(Db, e.SubmissionId, e.SubmissionVersion, logger, nameof(PaymentCancelled), context.CancellationToken);
        if (submission?.RecordSuperseded(submission.Payment?.With(CancelledOutcome, reason: e.Reason), $"Payment cancelled: {e.Reason}", clock.GetUtcNow()) == true) Finished(submission);
    }

    private void Finished(Submission submission) => AfterCommit(() => metrics.Finished(submission));
}
