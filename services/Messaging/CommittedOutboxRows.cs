using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Platform.Messaging;

/// <summary>
/// Hands the outbox rows of each committed transaction to the dispatcher of its DbContext type in this process, so they are
/// published straight after the commit without being read back from the database.
/// </summary>
internal sealed class CommittedOutboxRows
{
    private readonly ConcurrentDictionary<Type, Channel<OutboxMessage>> committed = new();

    public void Committed(Type contextType, IReadOnlyList<OutboxMessage> rows)
    {
        var channel = For(contextType);
        foreach (var row in rows) channel.Writer.TryWrite(row);
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for committed rows, then takes what is there (at most <paramref name="max"/>):
    /// rows committed together, or while the last batch was being published, go out as one batch.
    /// </summary>
    public async Task<IReadOnlyList<OutboxMessage>> TakeAsync(Type contextType, int max, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reader = For(contextType).Reader;
        if (!reader.TryPeek(out _))
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(timeout);
            try
            {
                await reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return [];
            }
        }

        var rows = new List<OutboxMessage>();
        while (rows.Count < max && reader.TryRead(out var row)) rows.Add(row);
        return rows;
    }

    private Channel<OutboxMessage> For(Type contextType) =>
        committed.GetOrAdd(contextType, _ => Channel.CreateUnbounded<OutboxMessage>(new UnboundedChannelOptions { SingleReader = false }));
}
