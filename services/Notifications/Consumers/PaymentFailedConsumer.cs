using Microsoft.Extensions.Options;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Extensions;
using Notifications.Api.Services;
using Platform.Contracts.Payments;

namespace Notifications.Api.Consumers;

/// <summary>Tells the practice admins and the submitter that the payment could not be posted.</summary>
public sealed class PaymentFailedConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    IOptions<MessageOptions> options, Formats formats) : NotificationConsumer<PaymentFailed>(db, notifier)
{
    protected override async Task Notify(PaymentFailed failed, Guid messageId, CancellationToken cancellationToken)
    {
        var link = options.Value.Link(options.Value.SubmissionPath, id: failed.SubmissionId.ToString());
        var model = new Dictionary<string, object?>
        {
            ["payment_id"] = failed.PaymentId.ToString(),
            ["submission_id"] = failed.SubmissionId.ToString(),
            ["version"] = failed.SubmissionVersion,
            ["practice_ods"] = failed.PracticeOds,
            ["practice_name"] = await directory.PracticeNameAsync(failed.PracticeOds, cancellationToken),
            ["service_code"] = failed.ServiceCode,
            ["period"] = failed.Period,
            ["amount"] = Formats.Money(failed.Amount),
            ["reason"] = failed.Reason,
            ["failed_at"] = formats.DateTime(failed.FailedAt),
            ["link"] = link,
        };
        var submittedBy = await directory.SubmittedByAsync(failed.SubmissionId, failed.SubmissionVersion, cancellationToken);
        var recipients = await directory.AdminsAndSubmitterAsync(failed.PracticeOds, submittedBy, cancellationToken);
        Notifier.Queue(messageId, NotificationKinds.PaymentFailed, model, recipients, link);
    }
}
