using Microsoft.Extensions.Options;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Extensions;
using Notifications.Api.Services;
using Platform.Contracts.Payments;

namespace Notifications.Api.Consumers;

/// <summary>The remittance advice: amount, lines and the reference on the bank statement, to the practice admins and the submitter.</summary>
public sealed class PaymentSettledConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory,
    IOptions<MessageOptions> options, Formats formats) : NotificationConsumer<PaymentSettled>(db, notifier)
{
    protected override async Task Notify(PaymentSettled settled, Guid messageId, CancellationToken cancellationToken)
    {
        var link = options.Value.Link(options.Value.SubmissionPath, id: settled.SubmissionId.ToString());
        var model = new Dictionary<string, object?>
        {
            ["payment_id"] = settled.PaymentId.ToString(),
            ["submission_id"] = settled.SubmissionId.ToString(),
            ["version"] = settled.SubmissionVersion,
            ["practice_ods"] = settled.PracticeOds,
            ["practice_name"] = await directory.PracticeNameAsync(settled.PracticeOds, cancellationToken),
            ["service_code"] = settled.ServiceCode,
            ["period"] = settled.Period,
            ["amount"] = Formats.Money(settled.Amount),
            ["currency"] = settled.Currency,
            ["remittance_reference"] = settled.RemittanceReference,
            ["settled_at"] = formats.DateTime(settled.SettledAt),
            ["lines"] = settled.Lines.Select(line => new Dictionary<string, object?>
            {
                ["indicator"] = line.Indicator,
                ["quantity"] = Formats.Quantity(line.Quantity),
                ["rate"] = Formats.Money(line.Rate),
                ["amount"] = Formats.Money(line.Amount),
            }).ToList(),
            ["link"] = link,
        };
        var submittedBy = await directory.SubmittedByAsync(settled.SubmissionId, settled.SubmissionVersion, cancellationToken);
        var recipients = await directory.AdminsAndSubmitterAsync(settled.PracticeOds, submittedBy, cancellationToken);
        Notifier.Queue(messageId, NotificationKinds.PaymentSettled, model, recipients, link);
    }
}
