using System.Collections;

namespace Platform.Messaging;

/// <summary>
/// The events an aggregate has recorded and its DbContext has not saved yet. Each keeps the trace context current when it was
/// recorded, as <see cref="DbContextOutboxExtensions.AddOutboxMessage{T}"/> does, so an event raised inside a step's activity
/// continues that trace even when the save runs after the activity has ended.
/// </summary>
public sealed class DomainEvents : IReadOnlyCollection<object>
{
    // Process-wide, so events recorded by several aggregates reach the outbox in the order they were raised.
    private static long lastSequence;
    private readonly List<RecordedEvent> recorded = [];

    public int Count => recorded.Count;

    public void Record(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        recorded.Add(new RecordedEvent(message, OutboxTrace.Current(), Interlocked.Increment(ref lastSequence)));
    }

    /// <summary>Forgets the unsaved events <paramref name="match"/> picks: a later change in the same unit of work says what they said.</summary>
    public void Discard(Func<object, bool> match) => recorded.RemoveAll(e => match(e.Message));

    public IEnumerator<object> GetEnumerator() => recorded.Select(e => e.Message).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal IReadOnlyList<RecordedEvent> TakeAll()
    {
        var taken = recorded.ToList();
        recorded.Clear();
        return taken;
    }

    internal sealed record RecordedEvent(object Message, OutboxTrace Trace, long Sequence);
}
