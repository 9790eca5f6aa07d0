using MassTransit;
using Notifications.Api.Application;
using Notifications.Api.Data;
using Platform.Messaging;

namespace Notifications.Api.Consumers;

/// <summary>
/// A consumer that turns an event into notifications once per MessageId (the inbox row, the notices and the email rows
/// commit together), then counts what it stored.
/// </summary>
public abstract class NotificationConsumer<TMessage>(NotificationsDbContext db, Notifier notifier)
    : InboxConsumer<TMessage, NotificationsDbContext>(db)
    where TMessage : class
{
    protected sealed override Task Handle(ConsumeContext<TMessage> context) =>
        Notify(context.Message, context.MessageId!.Value, context.CancellationToken);

    /// <summary>Resolves the recipients and the model, and calls <see cref="Queue"/>.</summary>
    protected abstract Task Notify(TMessage message, Guid messageId, CancellationToken cancellationToken);

    /// <summary>Queues the notifications of one kind with <see cref="Notifier"/>; they are counted once they have committed.</summary>
    protected void Queue(Guid messageId, string kind, object model, RecipientList recipients, string? link = null)
    {
        var queued = notifier.Queue(messageId, kind, model, recipients, link);
        AfterCommit(() => notifier.Count(queued));
    }
}
