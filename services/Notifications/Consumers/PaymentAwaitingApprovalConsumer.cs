using Microsoft.Extensions.Options;
using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
using Platform.Contracts.Payments;

namespace Notifications.Api.Consumers;

/// <summary>Asks the commissioners of the practice's ICB to decide on a payment; each reminder is its own message.</summary>
public sealed class PaymentAwaitingApprovalConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    SubmissionModels submissions, IOptions<MessageOptions> options, Formats formats) : NotificationConsumer<PaymentAwaitingApproval>(db, notifier)
{
    protected override async Task Notify(PaymentAwaitingApproval awaiting, Guid messageId, CancellationToken cancellationToken)
    {
        var link = options.Value.Link(options.Value.ApprovalPath, id: awaiting.PaymentId.ToString());
        var submission = await submissions.DescribeAsync(awaiting.SubmissionId, awaiting.SubmissionVersion, awaiting.PracticeOds,
            awaiting.ServiceCode, awaiting.Period, cancellationToken);
        var model = new PaymentAwaitingApprovalModel(submission with { Link = link }, awaiting.Icb, Formats.Money(awaiting.Amount), awaiting.Reason,
            formats.DateTime(awaiting.DecideBy), awaiting.ReminderNumber);
        var recipients = new RecipientList()
            .AddRange((await directory.CommissionersAsync(awaiting.Icb, cancellationToken)).Select(person => Recipient.From(person, "commissioner")));
        Queue(messageId, NotificationKinds.PaymentAwaitingApproval, model, recipients, link);
    }
}
