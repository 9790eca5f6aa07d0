using MassTransit;
using Notifications.Api.Data;
using Notifications.Api.Services;
using Platform.Messaging;

namespace Notifications.Api.Consumers;

/// <summary>
/// A consumer that turns an event into notifications once per MessageId (the inbox row, the notices and the email rows
/// commit together), then counts what it stored.
/// </summary>
public abstract class NotificationConsumer<TMessage>(NotificationsDbContext db, Notifier notifier)
    : InboxConsumer<TMessage, NotificationsDbContext>(db), IConsumer<TMessage>
    where TMessage : class
{
    protected Notifier Notifier { get; } = notifier;

    async Task IConsumer<TMessage>.Consume(ConsumeContext<TMessage> context)
    {
        await Consume(context);
        Notifier.Committed();
    }

    protected sealed override Task Handle(ConsumeContext<TMessage> context)
    {
        Notifier.Reset();
        return Notify(context.Message, context.MessageId!.Value, context.CancellationToken);
    }

    /// <summary>Resolves the recipients and queues the notifications with <see cref="Notifier"/>.</summary>
    protected abstract Task Notify(TMessage message, Guid messageId, CancellationToken cancellationToken);
}
