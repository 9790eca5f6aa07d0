using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
using Platform.Contracts.Payments;

namespace Notifications.Api.Consumers;

/// <summary>Tells the practice admins and the submitter that a commissioner declined the payment, and why.</summary>
public sealed class PaymentDeclinedConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    SubmissionModels submissions, Formats formats) : NotificationConsumer<PaymentDeclined>(db, notifier)
{
    protected override async Task Notify(PaymentDeclined declined, Guid messageId, CancellationToken cancellationToken)
    {
        var submission = await submissions.DescribeAsync(declined.SubmissionId, declined.SubmissionVersion, declined.PracticeOds,
            declined.ServiceCode, declined.Period, cancellationToken);
        var model = new PaymentDeclinedModel(submission, Formats.Money(declined.Amount), declined.Reason, formats.DateTime(declined.DeclinedAt));
        var recipients = await directory.AdminsAndSubmitterAsync(declined.PracticeOds, declined.SubmissionId, declined.SubmissionVersion, cancellationToken);
        Queue(messageId, NotificationKinds.PaymentDeclined, model, recipients, submission.Link);
    }
}
