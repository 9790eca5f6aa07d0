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
    /// <summary>
    /// Its reads (the directory, a practice's name) only choose whom to tell and what to say; nothing it writes depends on
    /// another delivery's writes, and a repeated delivery still meets the inbox's key. So no explicit transaction: a round
    /// trip less per event.
    /// </summary>
    protected sealed override bool ReadsInTransaction => false;

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
