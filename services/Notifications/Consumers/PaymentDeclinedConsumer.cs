using Microsoft.Extensions.Options;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Extensions;
using Notifications.Api.Services;
using Platform.Contracts.Payments;

namespace Notifications.Api.Consumers;

/// <summary>Tells the practice admins and the submitter that a commissioner declined the payment, and why.</summary>
public sealed class PaymentDeclinedConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    IOptions<MessageOptions> options, Formats formats) : NotificationConsumer<PaymentDeclined>(db, notifier)
{
    protected override async Task Notify(PaymentDeclined declined, Guid messageId, CancellationToken cancellationToken)
    {
        var link = options.Value.Link(options.Value.SubmissionPath, id: declined.SubmissionId.ToString());
        var model = new Dictionary<string, object?>
        {
            ["payment_id"] = declined.PaymentId.ToString(),
            ["submission_id"] = declined.SubmissionId.ToString(),
            ["version"] = declined.SubmissionVersion,
            ["practice_ods"] = declined.PracticeOds,
            ["practice_name"] = await directory.PracticeNameAsync(declined.PracticeOds, cancellationToken),
            ["service_code"] = declined.ServiceCode,
            ["period"] = declined.Period,
            ["amount"] = Formats.Money(declined.Amount),
            ["reason"] = declined.Reason,
            ["declined_at"] = formats.DateTime(declined.DeclinedAt),
            ["link"] = link,
        };
        var submittedBy = await directory.SubmittedByAsync(declined.SubmissionId, declined.SubmissionVersion, cancellationToken);
        var recipients = await directory.AdminsAndSubmitterAsync(declined.PracticeOds, submittedBy, cancellationToken);
        Notifier.Queue(messageId, NotificationKinds.PaymentDeclined, model, recipients, link);
    }
}
