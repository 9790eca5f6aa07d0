
namespace Platform.Bench.Harness;

/// <summary>
/// PostgreSQL's own count of committed transactions and rows written across the platform's databases
/// (<c>pg_stat_database</c>). Counts do not depend on how busy the machine is, so they compare across runs where timings
/// cannot. Backends report their counts at most every second and an idle one within about ten, hence <see cref="Settle"/>.
/// </summary>
public sealed class DatabaseActivity(string anyDatabase, IReadOnlyList<string> databases)
{
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(11);
    private bool extensionCreated; // once a harness run: the view is then there for every later sample

    /// <param name="Statements">Statements run in the databases (<c>pg_stat_statements</c>, BEGIN and COMMIT included), or
    /// null when the server was started without that module.</param>
    public readonly record struct Sample(long Commits, long RowsWritten, long? Statements, DateTimeOffset At, IReadOnlyDictionary<string, long> CommitsByDatabase,
        IReadOnlyDictionary<string, long> StatementsByDatabase);

    public async Task<Sample> SampleAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(anyDatabase) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var commits = new Dictionary<string, long>(StringComparer.Ordinal);
        long rows = 0;
        await using (var command = new NpgsqlCommand(
            "SELECT datname, xact_commit, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = ANY(@databases)", connection))
        {
            command.Parameters.AddWithValue("databases", databases.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                commits[reader.GetString(0)] = reader.GetInt64(1);
                rows += reader.GetInt64(2);
            }
        }

        var statements = await StatementsAsync(connection, cancellationToken);
        return new Sample(commits.Values.Sum(), rows, statements?.Values.Sum(), DateTimeOffset.UtcNow, commits, statements ?? []);
    }

    /// <summary>Calls of every statement, by database; null without <c>shared_preload_libraries=pg_stat_statements</c>.</summary>
    private async Task<Dictionary<string, long>?> StatementsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            if (!extensionCreated)
            {
                await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
                extensionCreated = true;
            }

            await using var command = new NpgsqlCommand(
                "SELECT d.datname, sum(s.calls)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid " +
                "WHERE d.datname = ANY(@databases) GROUP BY d.datname", connection);
            command.Parameters.AddWithValue("databases", databases.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var statements = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken)) statements[reader.GetString(0)] = reader.GetInt64(1);
            return statements;
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.ObjectNotInPrerequisiteState or PostgresErrorCodes.UndefinedFile)
        {
            return null;
        }
    }

    /// <summary>Commits, rows written and statements per second while nothing is asked of the platform, and the commits of each database.</summary>
    public async Task<IdleRate> IdleRateAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        await Task.Delay(Settle, cancellationToken);
        var before = await SampleAsync(cancellationToken);
        await Task.Delay(window, cancellationToken);
        var after = await SampleAsync(cancellationToken);
        var seconds = (after.At - before.At).TotalSeconds;
        return new IdleRate((after.Commits - before.Commits) / seconds, (after.RowsWritten - before.RowsWritten) / seconds,
            (after.Statements - before.Statements) / seconds ?? double.NaN,
            after.CommitsByDatabase.ToDictionary(d => d.Key, d => (d.Value - before.CommitsByDatabase.GetValueOrDefault(d.Key)) / seconds, StringComparer.Ordinal));
    }

    public sealed record IdleRate(double CommitsPerSecond, double RowsPerSecond, double StatementsPerSecond, IReadOnlyDictionary<string, double> CommitsPerSecondByDatabase);

    /// <summary>What a load caused per unit of work: the counts between two samples less the idle rate over the same time.</summary>
    public static Caused Per(Sample before, Sample after, IdleRate idle, int work)
    {
        var seconds = (after.At - before.At).TotalSeconds;
        double Less(double count, double idlePerSecond) => work == 0 ? double.NaN : (count - idlePerSecond * seconds) / work;
        var statementsByDatabase = after.StatementsByDatabase.ToDictionary(
            d => d.Key, d => work == 0 ? double.NaN : (d.Value - before.StatementsByDatabase.GetValueOrDefault(d.Key)) / (double)work, StringComparer.Ordinal);
        return new Caused(Less(after.Commits - before.Commits, idle.CommitsPerSecond), Less(after.RowsWritten - before.RowsWritten, idle.RowsPerSecond),
            after.Statements - before.Statements is { } statements ? Less(statements, idle.StatementsPerSecond) : double.NaN, statementsByDatabase);
    }

    /// <summary>
    /// Per unit of work. <see cref="StatementsByDatabase"/> keeps the idle statements in (there is no idle rate per database):
    /// a fraction of one per unit at the bench's rates.
    /// </summary>
    public sealed record Caused(double Commits, double Rows, double Statements, IReadOnlyDictionary<string, double> StatementsByDatabase);
}
