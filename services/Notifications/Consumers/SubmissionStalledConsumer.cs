using Microsoft.Extensions.Options;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Extensions;
using Notifications.Api.Services;
using Platform.Contracts.Submissions;

namespace Notifications.Api.Consumers;

/// <summary>Tells the platform admins that a submission has been stuck past its SLA.</summary>
public sealed class SubmissionStalledConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    IOptions<MessageOptions> options, Formats formats) : NotificationConsumer<SubmissionStalled>(db, notifier)
{
    protected override async Task Notify(SubmissionStalled stalled, Guid messageId, CancellationToken cancellationToken)
    {
        var link = options.Value.Link(options.Value.SubmissionPath, id: stalled.SubmissionId.ToString());
        var model = new Dictionary<string, object?>
        {
            ["submission_id"] = stalled.SubmissionId.ToString(),
            ["version"] = stalled.Version,
            ["practice_ods"] = stalled.PracticeOds,
            ["practice_name"] = await directory.PracticeNameAsync(stalled.PracticeOds, cancellationToken),
            ["service_code"] = stalled.ServiceCode,
            ["period"] = stalled.Period,
            ["status"] = stalled.Status,
            ["received_at"] = formats.DateTime(stalled.ReceivedAt),
            ["stalled_for"] = Formats.Duration(stalled.StalledFor),
            ["link"] = link,
        };
        var recipients = new RecipientList()
            .AddRange((await directory.PlatformAdminsAsync(cancellationToken)).Select(admin => Recipient.From(admin, "platform-admin")));
        Notifier.Queue(messageId, NotificationKinds.SubmissionStalled, model, recipients, link);
    }
}
