using MassTransit;
using Platform.Contracts.Submissions;
using Platform.Messaging;
using Submissions.Api.Data;
using Submissions.Api.Domain;
using Submissions.Api.Jobs;
using Submissions.Api.Telemetry;

namespace Submissions.Api.Consumers;

/// <summary>Payments could not pay a stored version as it stands (no rule, or an earlier version was already approved): it ends <c>rejected</c>.</summary>
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
