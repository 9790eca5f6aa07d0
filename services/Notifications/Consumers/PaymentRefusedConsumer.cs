using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
using Platform.Contracts.Payments;

namespace Notifications.Api.Consumers;

/// <summary>Tells the submitter (or the practice admins) why a submission was rejected: Payments refused to pay it.</summary>
public sealed class PaymentRefusedConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    SubmissionModels submissions, Formats formats) : RefusalConsumer<PaymentRefused>(db, notifier, directory, submissions, formats)
{
    protected override PaymentRefused Refusal(PaymentRefused message) => message;
}

/// <summary>The rejection email and notice, for <see cref="PaymentRefused"/> and for what an older Payments published instead.</summary>
public abstract class RefusalConsumer<TMessage>(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    SubmissionModels submissions, Formats formats) : NotificationConsumer<TMessage>(db, notifier)
    where TMessage : class
{
    protected abstract PaymentRefused Refusal(TMessage message);

    protected override async Task Notify(TMessage message, Guid messageId, CancellationToken cancellationToken)
    {
        var refused = Refusal(message);
        var submittedBy = refused.SubmittedBy ?? await directory.SubmittedByAsync(refused.SubmissionId, refused.SubmissionVersion, cancellationToken);
        var submission = await submissions.DescribeAsync(refused.SubmissionId, refused.SubmissionVersion, refused.PracticeOds,
            refused.ServiceCode, refused.Period, cancellationToken);
        var model = new SubmissionRejectedModel(submission, refused.Code, refused.Reason, formats.DateTime(refused.RefusedAt));
        var recipients = await directory.SubmitterOrAdminsAsync(submittedBy, refused.PracticeOds, cancellationToken);
        Queue(messageId, NotificationKinds.SubmissionRejected, model, recipients, submission.Link);
    }
}
