using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Platform.Messaging;

/// <summary>
/// Lets a save outside an explicit transaction go without one of its own when it is sure to be one batch: PostgreSQL runs
/// a batch (its statements up to one Sync) as one implicit transaction, all or nothing, so the BEGIN and COMMIT EF Core would
/// add are two round trips for nothing. Sure means the changes fit the context's configured <c>MaxBatchSize</c>; when none
/// is configured, or they do not fit, EF Core keeps its own transaction.
/// </summary>
internal static class SaveInOneBatch
{
    public static void Choose(DbContext db)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("A save in one batch is for work outside an explicit transaction.");
        }

        // The outbox rows of recorded events are added as the save starts: count them now.
        DomainEventOutbox.MoveRecordedEvents(db);
        var changes = db.ChangeTracker.Entries().Count(entry => entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        var maxBatchSize = RelationalOptionsExtension.Extract(db.GetService<IDbContextOptions>()).MaxBatchSize;
        db.Database.AutoTransactionBehavior = changes <= maxBatchSize ? AutoTransactionBehavior.Never : AutoTransactionBehavior.WhenNeeded;
    }
}
