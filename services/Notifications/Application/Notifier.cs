using System.Diagnostics;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Jobs;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Application;

/// <summary>
/// Turns one event into its notifications, inside the consumer's transaction: for each recipient an in-app notice
/// (when the kind has one and the recipient is a known person) and an email row (unless they turned that kind off),
/// both rendered from the kind's template. The email rows are sent later by <see cref="Jobs.EmailDeliveryJob"/>.
/// </summary>
public sealed class Notifier(NotificationsDbContext db, NotificationTemplates templates, NotificationMetrics metrics,
    DeliverySignal delivery, TimeProvider clock, ILogger<Notifier> logger)
{
    /// <summary>What one <see cref="Queue"/> stored, to count once it has committed.</summary>
    public sealed record Queued(string Kind, int InApp, bool Unrouted, int Emails = 0);

    /// <param name="model">The kind's template model (<c>Templates/*Model.cs</c>).</param>
    public Queued Queue(Guid sourceMessageId, string kind, object model, RecipientList recipients, string? link = null)
    {
        var spec = NotificationKinds.All[kind];
        var now = clock.GetUtcNow();
        var traceParent = Activity.Current?.Id;
        Activity.Current?.SetTag("notification.kind", kind);
        if (recipients.All.Count == 0)
        {
            logger.LogWarning("Nobody in the directory to tell about {Kind} (message {MessageId})", kind, sourceMessageId);
            return new Queued(kind, 0, Unrouted: true);
        }

        var (inApp, emails) = (0, 0);
        foreach (var recipient in recipients.All)
        {
            var message = templates.Render(kind, model, recipient);
            if (spec.InApp && recipient.UserId is { } userId)
            {
                db.Notices.Add(new Notice
                {
                    SourceMessageId = sourceMessageId,
                    RecipientUserId = userId,
                    Kind = kind,
                    Title = Truncate(message.Subject, 300),
                    Body = message.Text,
                    Link = link,
                    CreatedAt = now,
                });
                inApp++;
            }
            if (recipient.Email is { Length: > 0 } email && recipient.WantsEmail(kind))
            {
                db.Emails.Add(new OutgoingEmail
                {
                    SourceMessageId = sourceMessageId,
                    Recipient = email,
                    RecipientUserId = recipient.UserId,
                    Kind = kind,
                    Subject = Truncate(message.Subject, 300),
                    TextBody = message.Text,
                    HtmlBody = message.Html,
                    CreatedAt = now,
                    NextAttemptAt = now,
                    TraceParent = traceParent,
                });
                emails++;
            }
        }
        return new Queued(kind, inApp, Unrouted: false, emails);
    }

    /// <summary>Counts what a <see cref="Queue"/> stored, once its transaction has committed, and wakes the delivery job for its emails.</summary>
    public void Count(Queued queued)
    {
        if (queued.Emails > 0) delivery.Wake();
        if (queued.InApp > 0) metrics.Sent(Channels.InApp, queued.Kind, queued.InApp);
        if (queued.Unrouted) metrics.Unrouted(queued.Kind);
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..(length - 1)] + "…";
}
