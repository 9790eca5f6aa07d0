using Microsoft.EntityFrameworkCore;

namespace Platform.Messaging;

/// <summary>Moves the events recorded by a context's tracked aggregates into its outbox, in the order they were recorded.</summary>
internal static class DomainEventOutbox
{
    public static void MoveRecordedEvents(DbContext context)
    {
        var recorded = context.ChangeTracker.Entries<IHasDomainEvents>()
            .Where(entry => entry.Entity.DomainEvents.Count > 0)
            .SelectMany(entry => entry.Entity.DomainEvents.TakeAll())
            .OrderBy(e => e.Sequence)
            .ToList();
        foreach (var e in recorded)
        {
            DbContextOutboxExtensions.Add(context, e.Message, e.Trace);
        }
    }
}
