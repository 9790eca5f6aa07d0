using MassTransit;
using Platform.Contracts.Payments;
using Platform.Messaging;
using Submissions.Api.Data;
using Submissions.Api.Telemetry;

namespace Submissions.Api.Consumers;

/// <summary>Payments will not pay a stored version as it stands (no rule, or an earlier version already locks its period): it ends <c>rejected</c>.</summary>
public sealed class PaymentRefusedConsumer(SubmissionsDbContext db, TimeProvider clock, SubmissionMetrics metrics, ILogger<PaymentRefusedConsumer> logger)
    : RefusalConsumer<PaymentRefused>(db, clock, metrics, logger)
{
    protected override PaymentRefused Refusal(PaymentRefused message) => message;
}

/// <summary>Ends the refused version <c>rejected</c>, for <see cref="PaymentRefused"/> and for what an older Payments published instead.</summary>
public abstract class RefusalConsumer<TMessage>(SubmissionsDbContext db, TimeProvider clock, SubmissionMetrics metrics, ILogger logger)
    : InboxConsumer<TMessage, SubmissionsDbContext>(db)
    where TMessage : class
{
    protected abstract PaymentRefused Refusal(TMessage message);

    protected override async Task Handle(ConsumeContext<TMessage> context)
    {
        var e = Refusal(context.Message);
        var submission = await SubmissionEvents.FindAsync(Db, e.SubmissionId, e.SubmissionVersion, logger, typeof(TMessage).Name, context.CancellationToken);
        if (submission?.RecordRejected(e.Code, e.Reason, clock.GetUtcNow()) != true) return;
        AfterCommit(() =>
        {
            metrics.Finished(submission);
            metrics.Rejected(submission.ServiceCode, "payments", e.Code);
        });
    }
}
