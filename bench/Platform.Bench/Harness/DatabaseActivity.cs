
namespace Platform.Bench.Harness;

/// <summary>
/// PostgreSQL's own count of committed transactions and rows written across the platform's databases
/// (<c>pg_stat_database</c>). Counts do not depend on how busy the machine is, so they compare across runs where timings
/// cannot. Backends report their counts at most every second and an idle one within about ten, hence <see cref="Settle"/>.
/// </summary>
public sealed class DatabaseActivity(string anyDatabase, IReadOnlyList<string> databases)
{
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(11);

    public readonly record struct Sample(long Commits, long RowsWritten, DateTimeOffset At, IReadOnlyDictionary<string, long> CommitsByDatabase);

    public async Task<Sample> SampleAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(anyDatabase) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT datname, xact_commit, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = ANY(@databases)", connection);
        command.Parameters.AddWithValue("databases", databases.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var commits = new Dictionary<string, long>(StringComparer.Ordinal);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            commits[reader.GetString(0)] = reader.GetInt64(1);
            rows += reader.GetInt64(2);
        }

        return new Sample(commits.Values.Sum(), rows, DateTimeOffset.UtcNow, commits);
    }

    /// <summary>Commits and rows written per second while nothing is asked of the platform, and the commits of each database.</summary>
    public async Task<IdleRate> IdleRateAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        await Task.Delay(Settle, cancellationToken);
        var before = await SampleAsync(cancellationToken);
        await Task.Delay(window, cancellationToken);
        var after = await SampleAsync(cancellationToken);
        var seconds = (after.At - before.At).TotalSeconds;
        return new IdleRate((after.Commits - before.Commits) / seconds, (after.RowsWritten - before.RowsWritten) / seconds,
            after.CommitsByDatabase.ToDictionary(d => d.Key, d => (d.Value - before.CommitsByDatabase.GetValueOrDefault(d.Key)) / seconds, StringComparer.Ordinal));
    }

    public sealed record IdleRate(double CommitsPerSecond, double RowsPerSecond, IReadOnlyDictionary<string, double> CommitsPerSecondByDatabase)
    {
        public (double Commits, double Rows) Totals => (CommitsPerSecond, RowsPerSecond);
    }

    /// <summary>What a load caused per unit of work: the counts between two samples less the idle rate over the same time.</summary>
    public static (double Commits, double Rows) Per(Sample before, Sample after, (double Commits, double Rows) idle, int work)
    {
        var seconds = (after.At - before.At).TotalSeconds;
        return work == 0
            ? (double.NaN, double.NaN)
            : ((after.Commits - before.Commits - idle.Commits * seconds) / work, (after.RowsWritten - before.RowsWritten - idle.Rows * seconds) / work);
    }
}
