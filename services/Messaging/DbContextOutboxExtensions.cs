using System.Diagnostics;
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

        var type = message.GetType();
        var now = ContextServices.Time(db).GetUtcNow();
        var activity = Activity.Current;
        var traced = activity is { IdFormat: ActivityIdFormat.W3C };
        var row = new OutboxMessage
        {
            MessageId = NewId.NextGuid(),
            MessageType = MessageTypeNames.Of(type),
            Body = OutboxJson.Serialize(message, type),
            TraceParent = traced ? activity!.Id : null,
            TraceState = traced ? activity!.TraceStateString : null,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        db.Set<OutboxMessage>().Add(row);
        return row;
    }
}
