using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
using Platform.Contracts.Submissions;
using Notifications.Api.Application;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Consumers;

/// <summary>
/// What <see cref="PaymentRefusedConsumer"/> does, for the <see cref="SubmissionRejected"/> Payments published before it published
/// PaymentRefused: such a message may still be queued (or in Payments' outbox) during a rolling deployment. Remove it once none can be.
/// </summary>
public sealed class SubmissionRejectedConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    SubmissionModels submissions, Formats formats) : NotificationConsumer<SubmissionRejected>(db, notifier)
{
    protected override async Task Notify(SubmissionRejected rejected, Guid messageId, CancellationToken cancellationToken)
    {
        var submittedBy = rejected.SubmittedBy ?? await directory.SubmittedByAsync(rejected.SubmissionId, rejected.Version, cancellationToken);
        var submission = await submissions.DescribeAsync(rejected.SubmissionId, rejected.Version, rejected.PracticeOds,
            rejected.ServiceCode, rejected.Period, cancellationToken);
        var model = new SubmissionRejectedModel(submission, rejected.Code, rejected.Reason, formats.DateTime(rejected.RejectedAt));
        var recipients = await directory.SubmitterOrAdminsAsync(submittedBy, rejected.PracticeOds, cancellationToken);
        Queue(messageId, NotificationKinds.SubmissionRejected, model, recipients, submission.Link);
    }
}
