
namespace Platform.Bench.Harness;

/// <summary>
/// PostgreSQL's own count of committed transactions and rows written across the platform's databases
/// (<c>pg_stat_database</c>). Counts do not depend on how busy the machine is, so they compare across runs where timings
/// cannot. Backends report their counts at most every second and an idle one within about ten, hence <see cref="Settle"/>.
/// </summary>
public sealed class DatabaseActivity(string anyDatabase, IReadOnlyList<string> databases)
{
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(11);

    public readonly record struct Sample(long Commits, long RowsWritten, DateTimeOffset At);

    public async Task<Sample> SampleAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(anyDatabase) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(sum(xact_commit), 0)::bigint, coalesce(sum(tup_inserted + tup_updated + tup_deleted), 0)::bigint " +
            "FROM pg_stat_database WHERE datname = ANY(@databases)", connection);
        command.Parameters.AddWithValue("databases", databases.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new Sample(reader.GetInt64(0), reader.GetInt64(1), DateTimeOffset.UtcNow);
    }

    /// <summary>Commits and rows written per second while nothing is asked of the platform.</summary>
    public async Task<(double CommitsPerSecond, double RowsPerSecond)> IdleRateAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        await Task.Delay(Settle, cancellationToken);
        var before = await SampleAsync(cancellationToken);
        await Task.Delay(window, cancellationToken);
        var after = await SampleAsync(cancellationToken);
        var seconds = (after.At - before.At).TotalSeconds;
        return ((after.Commits - before.Commits) / seconds, (after.RowsWritten - before.RowsWritten) / seconds);
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
