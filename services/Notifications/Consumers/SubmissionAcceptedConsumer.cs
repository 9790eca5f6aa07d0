using Microsoft.Extensions.Options;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Extensions;
using Notifications.Api.Services;
using Platform.Contracts.Submissions;

namespace Notifications.Api.Consumers;

/// <summary>
/// The receipt: tells the submitter (or, when the submitter is a system client or unknown, the practice admins) that the
/// submission was accepted, and remembers who submitted it for the payment notices that follow.
/// </summary>
public sealed class SubmissionAcceptedConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    IOptions<MessageOptions> options, Formats formats, TimeProvider clock) : NotificationConsumer<SubmissionAccepted>(db, notifier)
{
    protected override async Task Notify(SubmissionAccepted accepted, Guid messageId, CancellationToken cancellationToken)
    {
        if (await Db.Submitters.FindAsync([accepted.SubmissionId, accepted.Version], cancellationToken) is null)
        {
            Db.Submitters.Add(new Submitter
            {
                SubmissionId = accepted.SubmissionId,
                Version = accepted.Version,
                PracticeOds = accepted.PracticeOds,
                SubmittedBy = accepted.SubmittedBy,
                RecordedAt = clock.GetUtcNow(),
            });
        }

        var link = options.Value.Link(options.Value.SubmissionPath, id: accepted.SubmissionId.ToString());
        var model = new Dictionary<string, object?>
        {
            ["submission_id"] = accepted.SubmissionId.ToString(),
            ["version"] = accepted.Version,
            ["practice_ods"] = accepted.PracticeOds,
            ["practice_name"] = await directory.PracticeNameAsync(accepted.PracticeOds, cancellationToken),
            ["service_code"] = accepted.ServiceCode,
            ["period"] = accepted.Period,
            ["accepted_at"] = formats.DateTime(accepted.AcceptedAt),
            ["content_sha256"] = accepted.ContentSha256,
            ["values"] = accepted.Values.Select(value => new Dictionary<string, object?>
            {
                ["indicator"] = value.Indicator,
                ["value"] = Formats.Quantity(value.Value),
            }).ToList(),
            ["supersedes"] = accepted.Supersedes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            ["link"] = link,
        };
        var recipients = await directory.SubmitterOrAdminsAsync(accepted.SubmittedBy, accepted.PracticeOds, cancellationToken);
        Notifier.Queue(messageId, NotificationKinds.SubmissionAccepted, model, recipients, link);
    }
}
