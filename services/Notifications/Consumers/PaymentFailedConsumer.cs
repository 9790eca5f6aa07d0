using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
using Platform.Contracts.Payments;

namespace Notifications.Api.Consumers;

/// <summary>Tells the practice admins and the submitter that the payment could not be posted.</summary>
public sealed class PaymentFailedConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    SubmissionModels submissions, Formats formats) : NotificationConsumer<PaymentFailed>(db, notifier)
{
    protected override async Task Notify(PaymentFailed failed, Guid messageId, CancellationToken cancellationToken)
    {
        var submission = await submissions.DescribeAsync(failed.SubmissionId, failed.SubmissionVersion, failed.PracticeOds,
            failed.ServiceCode, failed.Period, cancellationToken);
        var model = new PaymentFailedModel(submission, Formats.Money(failed.Amount), failed.Reason, formats.DateTime(failed.FailedAt));
        var recipients = await directory.AdminsAndSubmitterAsync(failed.PracticeOds, failed.SubmissionId, failed.SubmissionVersion, cancellationToken);
        Queue(messageId, NotificationKinds.PaymentFailed, model, recipients, submission.Link);
    }
}
