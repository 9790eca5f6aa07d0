using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Messaging.Tests;

/// <summary>
/// Counts the statements that mark outbox rows sent in one database, from EF Core's diagnostic events (other tests run
/// beside this one in the process, each on a database of its own).
/// </summary>
public sealed class MarkSentStatements : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string database;
    private readonly IDisposable subscription;
    private readonly List<IDisposable> listeners = [];
    private int count;

    public MarkSentStatements(string connectionString)
    {
        database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        subscription = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public int Count => Volatile.Read(ref count);

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
        {
            lock (listeners) listeners.Add(listener.Subscribe(this));
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == RelationalEventId.CommandExecuted.Name && value.Value is CommandExecutedEventData executed
            && executed.Command.Connection?.Database == database
            && executed.Command.CommandText.StartsWith("UPDATE outbox_messages AS o SET sent_at", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref count);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        subscription.Dispose();
        lock (listeners) listeners.ForEach(listener => listener.Dispose());
    }
}
