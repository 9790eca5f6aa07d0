using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Payments.Api.Application;

/// <summary>
/// Wakes the posting job when a payment became due in this process (it polls too, for other replicas' work).
/// A payment made due inside a transaction wakes it only once that transaction has committed: woken earlier, the job
/// would not see the payment yet and would sleep a whole poll interval.
/// </summary>
public sealed class PostingSignal : DbTransactionInterceptor
{
    private static readonly object Pending = new();
    private readonly SemaphoreSlim signal = new(0, 1);
    private readonly ConditionalWeakTable<DbContext, object> waiting = new();

    public void Wake()
    {
        try
        {
            if (signal.CurrentCount == 0) signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    /// <summary>Wakes the job when <paramref name="db"/>'s current transaction commits (at once when there is none).</summary>
    public void WakeAfterCommit(DbContext db)
    {
        if (db.Database.CurrentTransaction is null) Wake();
        else waiting.AddOrUpdate(db, Pending);
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => WakeIfWaiting(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        WakeIfWaiting(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void WakeIfWaiting(DbContext? db)
    {
        if (db is not null && waiting.Remove(db)) Wake();
    }

    private void Forget(DbContext? db)
    {
        if (db is not null) waiting.Remove(db);
    }
}
