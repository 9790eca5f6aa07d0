using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.Messaging;

/// <summary>
/// Moves the events tracked aggregates recorded (<see cref="IHasDomainEvents"/>) into the outbox as SaveChanges starts, then
/// notes the outbox rows each SaveChanges adds and hands them to the dispatcher once they are committed: straight after
/// SaveChanges when it ran in its own transaction, or when the caller's explicit transaction commits. Rows of a transaction
/// that rolls back are forgotten.
/// </summary>
internal sealed class OutboxCommitInterceptor(CommittedOutboxRows handedOver) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<OutboxMessage>> pendingContexts = new();

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Track(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Track(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SignalIfCommitted(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        SignalIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetUnsaved(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetUnsaved(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => SignalIfPending(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        SignalIfPending(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Track(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        DomainEventOutbox.MoveRecordedEvents(context);
        var added = context.ChangeTracker.Entries<OutboxMessage>().Where(entry => entry.State == EntityState.Added).Select(entry => entry.Entity).ToList();
        if (added.Count > 0)
        {
            // Several SaveChanges in one explicit transaction commit together.
            pendingContexts.GetOrCreateValue(context).AddRange(added);
        }
    }

    private void SignalIfCommitted(DbContext? context)
    {
        // Without an explicit transaction SaveChanges has already committed its own by now.
        if (context is not null && context.Database.CurrentTransaction is null)
        {
            SignalIfPending(context);
        }
    }

    private void SignalIfPending(DbContext? context)
    {
        if (context is not null && pendingContexts.TryGetValue(context, out var rows) && pendingContexts.Remove(context) && rows.Count > 0)
        {
            handedOver.Committed(context.GetType(), rows);
        }
    }

    /// <summary>A failed SaveChanges inserted nothing: its rows must not be published even if the caller's transaction commits.</summary>
    private void ForgetUnsaved(DbContext? context)
    {
        if (context is null) return;
        if (context.Database.CurrentTransaction is null) Forget(context);
        else if (pendingContexts.TryGetValue(context, out var rows)) rows.RemoveAll(row => context.Entry(row).State == EntityState.Added);
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            pendingContexts.Remove(context);
        }
    }
}
