using System.Diagnostics;
using System.Globalization;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Extensions;
using Platform.Contracts.Payments;
using Platform.Messaging;

namespace Notifications.Api.Consumers;

/// <summary>Tells the practice its payment was made: an in-app notice and a remittance email.</summary>
public sealed class PaymentSettledConsumer(NotificationsDbContext db, IOptions<DeliveryOptions> options, TimeProvider clock)
    : InboxConsumer<PaymentSettled, NotificationsDbContext>(db)
{
    public const string Kind = "payment-settled";
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    protected override Task Handle(ConsumeContext<PaymentSettled> context)
    {
        var settled = context.Message;
        var sourceMessageId = context.MessageId ?? throw new InvalidOperationException("A message without a MessageId cannot be de-duplicated.");
        var now = clock.GetUtcNow();
        var title = $"Payment of {settled.Amount.ToString("C", English)} made for {settled.ServiceCode} {settled.Period}";

        var body = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Practice {settled.PracticeOds} has been paid {settled.Amount.ToString("C", English)} for {settled.ServiceCode} {settled.Period} (submission {settled.SubmissionId}, version {settled.SubmissionVersion}).")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Remittance reference: {settled.RemittanceReference}")
            .AppendLine("This reference appears on your bank statement.")
            .AppendLine()
            .AppendLine("Lines:");
        foreach (var line in settled.Lines)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"  {line.Indicator}: {line.Quantity} × {line.Rate.ToString("C", English)} = {line.Amount.ToString("C", English)}");
        }

        Db.Notices.Add(new Notice
        {
            SourceMessageId = sourceMessageId,
            Recipient = $"practice:{settled.PracticeOds}",
            Kind = Kind,
            Title = title,
            Body = body.ToString(),
            CreatedAt = now,
        });
        Db.Emails.Add(new OutgoingEmail
        {
            SourceMessageId = sourceMessageId,
            Recipient = options.Value.PracticeMailbox.Replace("{ods}", settled.PracticeOds.ToLowerInvariant(), StringComparison.Ordinal),
            Kind = Kind,
            Subject = title,
            TextBody = body.ToString(),
            CreatedAt = now,
            NextAttemptAt = now,
            TraceParent = Activity.Current?.Id,
        });
        return Task.CompletedTask;
    }
}
