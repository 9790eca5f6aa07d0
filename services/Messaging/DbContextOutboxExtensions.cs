using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Platform.Messaging;

public static class DbContextOutboxExtensions
{
    /// <summary>
    /// Adds <paramref name="message"/> to the outbox. It is saved by the next SaveChanges, in the same transaction as the
    /// state change, and published (with this row's MessageId and the current trace context) only after that transaction commits.
    /// </summary>
    public static OutboxMessage AddOutboxMessage<T>(this DbContext db, T message)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        return Add(db, message, OutboxTrace.Current());
    }

    internal static OutboxMessage Add(DbContext db, object message, OutboxTrace trace)
    {
        var type = message.GetType();
        var now = ContextServices.Time(db).GetUtcNow();
        var row = new OutboxMessage
        {
            MessageId = NewId.NextGuid(),
            MessageType = MessageTypeNames.Of(type),
            Body = OutboxJson.Serialize(message, type),
            TraceParent = trace.Parent,
            TraceState = trace.State,
            CreatedAt = now,
            NextAttemptAt = now,
            Message = message,
        };
        db.Set<OutboxMessage>().Add(row);
        return row;
    }
}
