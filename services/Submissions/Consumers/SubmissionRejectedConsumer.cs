using MassTransit;
using Platform.Contracts.Submissions;
using Platform.Messaging;
using Submissions.Api.Data;
using Submissions.Api.Domain;
using Submissions.Api.Jobs;
using Submissions.Api.Telemetry;

namespace Submissions.Api.Consumers;

/// <summary>
/// What <see cref="PaymentRefusedConsumer"/> does, for the <see cref="SubmissionRejected"/> Payments published before it published
/// PaymentRefused: such a message may still be queued (or in Payments' outbox) during a rolling deployment. Remove it once none can be.
/// </summary>
public sealed class SubmissionRejectedConsumer(SubmissionsDbContext db, TimeProvider clock, SubmissionMetrics metrics, ILogger<SubmissionRejectedConsumer> logger)
    : InboxConsumer<SubmissionRejected, SubmissionsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<SubmissionRejected> context)
    {
        var e = context.Message;
        var submission = await SubmissionEvents.FindAsync(Db, e.SubmissionId, e.Version, logger, nameof(SubmissionRejected), context.CancellationToken);
        if (submission?.RecordRejected(e.Code, e.Reason, clock.GetUtcNow()) == true) Finished(submission, e.Code);
    }

    private void Finished(Submission submission, string code) => AfterCommit(() =>
    {
        metrics.Finished(submission);
        metrics.Rejected(submission.ServiceCode, "payments", code);
    });
}
