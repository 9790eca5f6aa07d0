using System.Globalization;
using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
using Platform.Contracts.Submissions;

namespace Notifications.Api.Consumers;

/// <summary>
/// The receipt: tells the submitter (or, when the submitter is a system client or unknown, the practice admins) that the
/// submission was accepted, and remembers who submitted it for the payment notices that follow.
/// </summary>
public sealed class SubmissionAcceptedConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    SubmissionModels submissions, Formats formats, TimeProvider clock) : NotificationConsumer<SubmissionAccepted>(db, notifier)
{
    protected override async Task Notify(SubmissionAccepted accepted, Guid messageId, CancellationToken cancellationToken)
    {
        var directoryView = await directory.ForReceiptAsync(accepted.SubmissionId, accepted.Version, accepted.SubmittedBy, accepted.PracticeOds, cancellationToken);
        if (!directoryView.SubmitterRecorded)
        {
            Db.Submitters.Add(new Submitter
            {
                SubmissionId = accepted.SubmissionId,
                Version = accepted.Version,
                PracticeOds = accepted.PracticeOds,
                SubmittedBy = accepted.SubmittedBy,
                SubmitterUserId = Guid.TryParse(accepted.SubmittedBy, out var userId) ? userId : null,
                RecordedAt = clock.GetUtcNow(),
            });
        }

        var submission = submissions.Describe(accepted.SubmissionId, accepted.Version, accepted.PracticeOds, directoryView.PracticeName,
            accepted.ServiceCode, accepted.Period);
        var values = accepted.Values.Select(value => new SubmittedValueModel(value.Indicator, Formats.Quantity(value.Value))).ToList();
        var model = new SubmissionAcceptedModel(submission, formats.DateTime(accepted.AcceptedAt), accepted.ContentSha256, values,
            accepted.Supersedes?.ToString(CultureInfo.InvariantCulture) ?? "");
        Queue(messageId, NotificationKinds.SubmissionAccepted, model, directoryView.Recipients, submission.Link);
    }
}
