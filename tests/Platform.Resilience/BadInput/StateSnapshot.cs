using Npgsql;
using Platform.Resilience.Running;

namespace Platform.Resilience.BadInput;

/// <summary>
/// The stored state of every service: for each table of each service's database, its row count and an MD5 over all its
/// rows (in a stable order), read directly. Two snapshots are equal only if no row was added, removed or changed.
/// </summary>
public sealed class StateSnapshot
{
    /// <summary>
    /// Columns left out: a wrong password given to an endpoint that checks one (password change) counts as a failed sign-in
    /// by design, towards the lockout the security tests prove; everything else about the account must stay as it was.
    /// </summary>
    private static readonly Dictionary<string, string[]> Volatile = new(StringComparer.Ordinal)
    {
        ["identitydb.users"] = ["access_failed_count", "lockout_end"],
    };

    private readonly Dictionary<string, (long Rows, string Checksum)> tables = new(StringComparer.Ordinal);

    public static async Task<StateSnapshot> TakeAsync(ResiliencePlatform platform, CancellationToken cancellationToken)
    {
        var snapshot = new StateSnapshot();
        foreach (var database in ResiliencePlatform.Databases)
        {
            var source = platform.Database(database);
            var tables = new List<string>();
            await using (var list = source.CreateCommand(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"))
            await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) tables.Add(reader.GetString(0));
            }

            foreach (var table in tables)
            {
                var row = Volatile.TryGetValue($"{database}.{table}", out var columns)
                    ? $"(to_jsonb(t) - ARRAY[{string.Join(", ", columns.Select(c => $"'{c}'"))}])::text"
                    : "t::text";
                await using var command = source.CreateCommand(
                    $"SELECT count(*), coalesce(md5(string_agg(md5({row}), '' ORDER BY md5({row}))), '') FROM \"{table}\" t");
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                snapshot.tables[$"{database}.{table}"] = (reader.GetInt64(0), reader.GetString(1));
            }
        }

        return snapshot;
    }

    /// <summary>The tables whose rows differ, with their row counts before and after.</summary>
    public IReadOnlyList<string> Differences(StateSnapshot after) =>
        [.. tables.Keys.Union(after.tables.Keys)
            .Where(table => tables.GetValueOrDefault(table) != after.tables.GetValueOrDefault(table))
            .Select(table => $"{table}: {tables.GetValueOrDefault(table).Rows} rows before, {after.tables.GetValueOrDefault(table).Rows} after")];

    public int Tables => tables.Count;

    public long Rows => tables.Values.Sum(t => t.Rows);
}

/// <summary>Waits until nothing is in flight: every outbox row published and no email waiting, so a snapshot is not taken mid-change.</summary>
public static class Quiet
{
    public static async Task WaitAsync(ResiliencePlatform platform, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            long busy = 0;
            foreach (var database in ResiliencePlatform.Databases)
            {
                busy += await ScalarAsync(platform.Database(database), "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", cancellationToken);
            }

            busy += await ScalarAsync(platform.Database("notificationsdb"), "SELECT count(*) FROM outgoing_emails WHERE status = 'pending'", cancellationToken);
            if (busy == 0) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The platform is still busy ({busy} messages or emails in flight).");
            await Task.Delay(250, cancellationToken);
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource source, string sql, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
