using MassTransit;
using Platform.Contracts.Payments;
using Platform.Messaging;
using Submissions.Api.Data;
using Submissions.Api.Domain;
using Submissions.Api.Telemetry;

namespace Submissions.Api.Consumers;

/// <summary>A commissioner declined the payment: the submission ends <c>declined</c> with the reason.</summary>
public sealed class PaymentDeclinedConsumer(SubmissionsDbContext db, TimeProvider clock, SubmissionMetrics metrics, ILogger<PaymentDeclinedConsumer> logger)
    : InboxConsumer<PaymentDeclined, SubmissionsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<PaymentDeclined> context)
    {
        var e = context.Message;
        var submission = await SubmissionEvents.FindAsync(Db, e.SubmissionId, e.SubmissionVersion, logger, nameof(PaymentDeclined), context.CancellationToken);
        if (submission is null) return;
        var payment = submission.Payment?.With(SubmissionStatus.Declined, reason: e.Reason)
            ?? PaymentSummary.Of(e.PaymentId, e.Amount, "GBP", SubmissionStatus.Declined, reason: e.Reason);
        if (submission.RecordDeclined(payment, e.DeclinedByName ?? e.DeclinedBy, e.Reason, clock.GetUtcNow())) Finished(submission);
    }

    private void Finished(Submission submission) => AfterCommit(() => metrics.Finished(submission));
}
