using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.Messaging;

/// <summary>
/// Moves the events tracked aggregates recorded (<see cref="IHasDomainEvents"/>) into the outbox as SaveChanges starts, then
/// notices SaveChanges calls that add outbox rows and signals the dispatcher once they are committed: straight after
/// SaveChanges when it ran in its own transaction, or when the caller's explicit transaction commits.
/// </summary>
internal sealed class OutboxCommitInterceptor(OutboxSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly object Pending = new();
    private readonly ConditionalWeakTable<DbContext, object> pendingContexts = new();

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

    public void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetIfNoTransaction(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetIfNoTransaction(eventData.Context);
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
        if (context.ChangeTracker.Entries<OutboxMessage>().Any(entry => entry.State == EntityState.Added))
        {
            pendingContexts.AddOrUpdate(context, Pending);
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
        if (context is not null && pendingContexts.Remove(context))
        {
            signal.Notify(context.GetType());
        }
    }

    private void ForgetIfNoTransaction(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null)
        {
            Forget(context);
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            pendingContexts.Remove(context);
        }
    }
}
