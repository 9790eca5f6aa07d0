using System.Diagnostics;

namespace Platform.Testing;

/// <summary>
/// The transactions EF Core commits in this process, with the span that was current: an explicit transaction's COMMIT is a
/// round trip of its own, which <see cref="DatabaseStatements"/> does not see.
/// </summary>
public sealed class EfTransactions : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly IDisposable subscription;
    private readonly List<IDisposable> listeners = [];
    private readonly List<(ActivityTraceId Trace, string Span)> committed = [];

    public EfTransactions() => subscription = DiagnosticListener.AllListeners.Subscribe(this);

    /// <summary>The commits in <paramref name="trace"/>, in spans whose name starts with <paramref name="spanPrefix"/> (any, when null).</summary>
    public int CommittedIn(ActivityTraceId trace, string? spanPrefix = null)
    {
        lock (committed) return committed.Count(c => c.Trace == trace && (spanPrefix is null || c.Span.StartsWith(spanPrefix, StringComparison.Ordinal)));
    }

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name != "Microsoft.EntityFrameworkCore") return;
        lock (listeners) listeners.Add(listener.Subscribe(this));
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key.EndsWith("TransactionCommitted", StringComparison.Ordinal) && Activity.Current is { } span)
        {
            lock (committed) committed.Add((span.TraceId, span.OperationName));
        }
    }

    public void OnCompleted() { }

    public void OnError(Exception error) { }

    public void Dispose()
    {
        subscription.Dispose();
        lock (listeners) listeners.ForEach(listener => listener.Dispose());
    }
}
