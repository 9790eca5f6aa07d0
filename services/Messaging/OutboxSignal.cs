using System.Collections.Concurrent;

namespace Platform.Messaging;

/// <summary>Wakes the dispatcher of a DbContext type as soon as a transaction holding outbox rows commits.</summary>
internal sealed class OutboxSignal
{
    private readonly ConcurrentDictionary<Type, SemaphoreSlim> signals = new();

    public void Notify(Type contextType)
    {
        var signal = For(contextType);
        try
        {
            if (signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another commit already woke it.
        }
    }

    /// <summary>True if woken by a commit, false when the timeout passed.</summary>
    public Task<bool> WaitAsync(Type contextType, TimeSpan timeout, CancellationToken cancellationToken) =>
        For(contextType).WaitAsync(timeout, cancellationToken);

    private SemaphoreSlim For(Type contextType) => signals.GetOrAdd(contextType, _ => new SemaphoreSlim(0, 1));
}
