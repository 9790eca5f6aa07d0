using Microsoft.Extensions.Options;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Extensions;
using Notifications.Api.Services;
using Platform.Contracts.Submissions;

namespace Notifications.Api.Consumers;

/// <summary>Tells the submitter (or the practice admins) why a submission cannot be paid.</summary>
public sealed class SubmissionRejectedConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    IOptions<MessageOptions> options, Formats formats) : NotificationConsumer<SubmissionRejected>(db, notifier)
{
    protected override async Task Notify(SubmissionRejected rejected, Guid messageId, CancellationToken cancellationToken)
    {
        var submittedBy = rejected.SubmittedBy ?? await directory.SubmittedByAsync(rejected.SubmissionId, rejected.Version, cancellationToken);
        var link = options.Value.Link(options.Value.SubmissionPath, id: rejected.SubmissionId.ToString());
        var model = new Dictionary<string, object?>
        {
            ["submission_id"] = rejected.SubmissionId.ToString(),
            ["version"] = rejected.Version,
            ["practice_ods"] = rejected.PracticeOds,
            ["practice_name"] = await directory.PracticeNameAsync(rejected.PracticeOds, cancellationToken),
            ["service_code"] = rejected.ServiceCode,
            ["period"] = rejected.Period,
            ["code"] = rejected.Code,
            ["reason"] = rejected.Reason,
            ["rejected_at"] = formats.DateTime(rejected.RejectedAt),
            ["link"] = link,
        };
        var recipients = await directory.SubmitterOrAdminsAsync(submittedBy, rejected.PracticeOds, cancellationToken);
        Notifier.Queue(messageId, NotificationKinds.SubmissionRejected, model, recipients, link);
    }
}
