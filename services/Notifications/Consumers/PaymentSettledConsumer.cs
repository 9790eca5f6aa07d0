using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
using Platform.Contracts.Payments;

namespace Notifications.Api.Consumers;

/// <summary>The remittance advice: amount, lines and the reference on the bank statement, to the practice admins and the submitter.</summary>
public sealed class PaymentSettledConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    SubmissionModels submissions, Formats formats) : NotificationConsumer<PaymentSettled>(db, notifier)
{
    protected override async Task Notify(PaymentSettled settled, Guid messageId, CancellationToken cancellationToken)
    {
        var submission = await submissions.DescribeAsync(settled.SubmissionId, settled.SubmissionVersion, settled.PracticeOds,
            settled.ServiceCode, settled.Period, cancellationToken);
        var lines = settled.Lines.Select(line =>
            new PaymentLineModel(line.Indicator, Formats.Quantity(line.Quantity), Formats.Money(line.Rate), Formats.Money(line.Amount))).ToList();
        var model = new PaymentSettledModel(submission, Formats.Money(settled.Amount), settled.RemittanceReference, formats.DateTime(settled.SettledAt), lines);
        var recipients = await directory.AdminsAndSubmitterAsync(settled.PracticeOds, settled.SubmissionId, settled.SubmissionVersion, cancellationToken);
        Queue(messageId, NotificationKinds.PaymentSettled, model, recipients, submission.Link);
    }
}
