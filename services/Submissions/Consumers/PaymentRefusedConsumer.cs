using MassTransit;
using Platform.Contracts.Payments;
using Platform.Messaging;
using Submissions.Api.Data;
using Submissions.Api.Domain;
using Submissions.Api.Telemetry;

namespace Submissions.Api.Consumers;

/// <summary>Payments will not pay a stored version as it stands (no rule, or an earlier version already locks its period): it ends <c>rejected</c>.</summary>
public sealed class PaymentRefusedConsumer(SubmissionsDbContext db, TimeProvider clock, SubmissionMetrics metrics, ILogger<PaymentRefusedConsumer> logger)
    : InboxConsumer<PaymentRefused, SubmissionsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<PaymentRefused> context)
    {
        var e = context.Message;
        var submission = await SubmissionEvents.FindAsync(Db, e.SubmissionId, e.SubmissionVersion, logger, nameof(PaymentRefused), context.CancellationToken);
        if (submission?.RecordRejected(e.Code, e.Reason, clock.GetUtcNow()) == true) Finished(submission, e.Code);
    }

    private void Finished(Submission submission, string code) => AfterCommit(() =>
    {
        metrics.Finished(submission);
        metrics.Rejected(submission.ServiceCode, "payments", code);
    });
}
