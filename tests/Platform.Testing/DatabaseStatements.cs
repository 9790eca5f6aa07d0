using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace Platform.Testing;

/// <summary>
/// The round trips a process makes to one database, from Npgsql's own activities: one per command or batch sent, with its
/// SQL text (a batch's statements joined) and its trace. Counts what a change to the number of statements is about, whatever
/// the timing. A transaction's COMMIT is not among them.
/// </summary>
public sealed class DatabaseStatements : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<(ActivityTraceId Trace, string Text)> seen = new();

    /// <param name="connectionString">The database's; only its round trips are recorded.</param>
    public DatabaseStatements(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                var tags = activity.TagObjects.ToList();
                if (tags.Any(tag => tag.Value as string == database) && QueryText(tags) is { } text)
                {
                    seen.Enqueue((activity.TraceId, text));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>Every round trip's SQL so far, in the order they finished.</summary>
    public IReadOnlyList<string> All => [.. seen.Select(statement => statement.Text)];

    /// <summary>The round trips from now on: <c>Since(mark)</c> with the count taken before the work.</summary>
    public IReadOnlyList<string> Since(int mark) => [.. seen.Skip(mark).Select(statement => statement.Text)];

    /// <summary>The round trips made in one trace (the work an event caused, wherever it ran in the process).</summary>
    public IReadOnlyList<string> InTrace(ActivityTraceId trace) => [.. seen.Where(statement => statement.Trace == trace).Select(statement => statement.Text)];

    public int Count => seen.Count;

    public void Dispose() => listener.Dispose();

    private static string? QueryText(List<KeyValuePair<string, object?>> tags) =>
        tags.FirstOrDefault(tag => tag.Key is "db.query.text" or "db.statement").Value as string;
}
