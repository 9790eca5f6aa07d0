using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Platform.Messaging;

/// <summary>
/// Moves the events tracked aggregates recorded (<see cref="IHasDomainEvents"/>) into the outbox as SaveChanges starts, then
/// notes the outbox rows each SaveChanges adds and hands them to the dispatcher once they are committed: as SaveChanges returns
/// when it ran in its own transaction, or when the caller's explicit transaction commits. Rows of a transaction
/// that rolls back, fails to commit or is abandoned are forgotten.
/// </summary>
internal sealed class OutboxCommitInterceptor(CommittedOutboxRows handedOver) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, PendingRows> pendingContexts = new();

    /// <summary>Rows saved but not yet committed; <see cref="InExplicitTransaction"/> when the caller's transaction holds them.</summary>
    private sealed class PendingRows
    {
        public List<OutboxMessage> Rows { get; } = [];

        public bool InExplicitTransaction { get; set; }
    }

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

    /// <summary>
    /// Only the caller's explicit transaction hands its rows over at its commit. SaveChanges' own transaction commits before
    /// EF Core gives the entities their generated ids: its rows go at <see cref="SavedChanges"/>, once each has its id, or a
    /// row published before that could not be marked sent and a sweep would publish it again.
    /// </summary>
    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => SignalIfExplicit(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        SignalIfExplicit(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Rows of an explicit transaction still pending when another transaction starts belong to one that never committed
    /// (disposed without a commit or a rollback, as when the work failed before its commit): they must not ride along with
    /// the next one's. (The transaction SaveChanges starts for itself keeps the rows that SaveChanges is saving.)
    /// </summary>
    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        ForgetAbandoned(eventData.Context);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken cancellationToken = default)
    {
        ForgetAbandoned(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <summary>
    /// The commit (or rollback) itself failed: whether the rows were stored is unknown, so none is published from memory. A
    /// retrying execution strategy runs the unit again on the same context, and only what that run commits is handed over;
    /// if the failed commit did store its rows, the sweep publishes them from the table.
    /// </summary>
    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
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
        var inExplicitTransaction = context.Database.CurrentTransaction is not null;
        // A SaveChanges in its own transaction: whatever is still pending was left by an explicit transaction that never committed.
        if (!inExplicitTransaction) Forget(context);
        if (added.Count > 0)
        {
            // Several SaveChanges in one explicit transaction commit together.
            var pending = pendingContexts.GetOrCreateValue(context);
            pending.Rows.AddRange(added);
            pending.InExplicitTransaction = inExplicitTransaction;
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

    private void SignalIfExplicit(DbContext? context)
    {
        if (context is not null && pendingContexts.TryGetValue(context, out var pending) && pending.InExplicitTransaction)
        {
            SignalIfPending(context);
        }
    }

    private void SignalIfPending(DbContext? context)
    {
        if (context is not null && pendingContexts.TryGetValue(context, out var pending) && pendingContexts.Remove(context) && pending.Rows.Count > 0)
        {
            handedOver.Committed(context.GetType(), pending.Rows);
        }
    }

    /// <summary>A failed SaveChanges inserted nothing: its rows must not be published even if the caller's transaction commits.</summary>
    private void ForgetUnsaved(DbContext? context)
    {
        if (context is null) return;
        if (context.Database.CurrentTransaction is null) Forget(context);
        else if (pendingContexts.TryGetValue(context, out var pending)) pending.Rows.RemoveAll(row => context.Entry(row).State == EntityState.Added);
    }

    private void ForgetAbandoned(DbContext? context)
    {
        if (context is not null && pendingContexts.TryGetValue(context, out var pending) && pending.InExplicitTransaction)
        {
            pendingContexts.Remove(context);
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
