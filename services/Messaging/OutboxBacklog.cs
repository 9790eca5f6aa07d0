using Microsoft.EntityFrameworkCore;

namespace Platform.Messaging;

/// <summary>Unsent outbox rows: for a metric or a health report. A growing backlog means the broker or the dispatcher is stuck.</summary>
public sealed record OutboxBacklog(int Unsent, DateTimeOffset? OldestUnsentCreatedAt)
{
    public static async Task<OutboxBacklog> ReadAsync(DbContext db, CancellationToken cancellationToken = default)
    {
        var unsent = db.Set<OutboxMessage>().AsNoTracking().Where(m => m.SentAt == null);
        return new OutboxBacklog(
            await unsent.CountAsync(cancellationToken),
            await unsent.OrderBy(m => m.Id).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(cancellationToken));
    }
}
