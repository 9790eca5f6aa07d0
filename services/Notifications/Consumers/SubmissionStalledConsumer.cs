using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
using Platform.Contracts.Submissions;

namespace Notifications.Api.Consumers;

/// <summary>Tells the platform admins that a submission has been stuck past its SLA.</summary>
public sealed class SubmissionStalledConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    SubmissionModels submissions, Formats formats) : NotificationConsumer<SubmissionStalled>(db, notifier)
{
    protected override async Task Notify(SubmissionStalled stalled, Guid messageId, CancellationToken cancellationToken)
    {
        var submission = await submissions.DescribeAsync(stalled.SubmissionId, stalled.Version, stalled.PracticeOds,
            stalled.ServiceCode, stalled.Period, cancellationToken);
        var model = new SubmissionStalledModel(submission, stalled.Status, formats.DateTime(stalled.ReceivedAt), Formats.Duration(stalled.StalledFor));
        var recipients = new RecipientList()
            .AddRange((await directory.PlatformAdminsAsync(cancellationToken)).Select(admin => Recipient.From(admin, "platform-admin")));
        Queue(messageId, NotificationKinds.SubmissionStalled, model, recipients, submission.Link);
    }
}
