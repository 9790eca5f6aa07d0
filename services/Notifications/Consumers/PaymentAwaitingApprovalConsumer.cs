using Microsoft.Extensions.Options;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Extensions;
using Notifications.Api.Services;
using Platform.Contracts.Payments;

namespace Notifications.Api.Consumers;

/// <summary>Asks the commissioners of the practice's ICB to decide on a payment; each reminder is its own message.</summary>
public sealed class PaymentAwaitingApprovalConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    IOptions<MessageOptions> options, Formats formats) : NotificationConsumer<PaymentAwaitingApproval>(db, notifier)
{
    protected override async Task Notify(PaymentAwaitingApproval awaiting, Guid messageId, CancellationToken cancellationToken)
    {
        var link = options.Value.Link(options.Value.ApprovalPath, id: awaiting.PaymentId.ToString());
        var model = new Dictionary<string, object?>
        {
            ["payment_id"] = awaiting.PaymentId.ToString(),
            ["submission_id"] = awaiting.SubmissionId.ToString(),
            ["version"] = awaiting.SubmissionVersion,
            ["practice_ods"] = awaiting.PracticeOds,
            ["practice_name"] = await directory.PracticeNameAsync(awaiting.PracticeOds, cancellationToken),
            ["icb"] = awaiting.Icb,
            ["service_code"] = awaiting.ServiceCode,
            ["period"] = awaiting.Period,
            ["amount"] = Formats.Money(awaiting.Amount),
            ["reason"] = awaiting.Reason,
            ["decide_by"] = formats.DateTime(awaiting.DecideBy),
            ["reminder_number"] = awaiting.ReminderNumber,
            ["is_reminder"] = awaiting.ReminderNumber > 0,
            ["link"] = link,
        };
        var recipients = new RecipientList()
            .AddRange((await directory.CommissionersAsync(awaiting.Icb, cancellationToken)).Select(person => Recipient.From(person, "commissioner")));
        Notifier.Queue(messageId, NotificationKinds.PaymentAwaitingApproval, model, recipients, link);
    }
}
