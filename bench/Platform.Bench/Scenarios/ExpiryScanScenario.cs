using System.Diagnostics;
using Identity.Api;
using Identity.Api.Application;
using Identity.Api.Data;

namespace Platform.Bench.Scenarios;

/// <summary>
/// Identity's credential expiry scan over a million passwords of which 1% have a notice due, run with the service's own
/// scanner and wiring (its DbContext, migrations and outbox) on a PostgreSQL server of its own; rows read are PostgreSQL's
/// own counters for the users table. Baseline: the same query as a full table scan.
/// </summary>
public static class ExpiryScanScenario
{
    /// <summary>The scanner's own query for due passwords (CredentialExpiryScanner.DuePasswordsSql, internal to Identity).</summary>
    private const string DuePasswordsSql =
        "SELECT * FROM users WHERE next_expiry_notice_at <= @now ORDER BY next_expiry_notice_at LIMIT @limit";

    public static async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var total = context.Quick ? 20_000 : 1_000_000;
        var due = total / 100;
        result.Settings["credentials"] = $"{total:N0} user passwords, {due:N0} (1%) with a notice due now (30 days before expiry), the rest due in 60 days";
        result.Settings["scanner"] = "Identity.Api.Application.CredentialExpiryScanner with Identity's AddApplicationServices wiring, batch size 500 (default), "
            + "records each notice and writes CredentialExpiring to the outbox; the dispatcher is not running";
        result.Settings["rows read"] = "pg_stat_user_tables for users: seq_tup_read + idx_tup_fetch during the scan (every row fetched, including the schedule updates)";

        BenchContext.Log("expiry-scan: starting PostgreSQL ...");
        await using var postgres = await PostgresServer.StartAsync("identity_bench");
        var connectionString = postgres.ConnectionString("identity_bench");
        using var host = BuildIdentity(connectionString);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IdentityDbContext>().Database.MigrateAsync(cancellationToken);
        }

        var seeding = Stopwatch.StartNew();
        await using (var connection = await OpenAsync(connectionString, cancellationToken))
        {
            var now = DateTimeOffset.UtcNow;
            await SeedAsync(connection, total - due, now.AddDays(90), "later", cancellationToken);
            await SeedAsync(connection, due, now.AddDays(10), "due", cancellationToken);
            await ExecuteAsync(connection, "VACUUM ANALYZE users", cancellationToken);
        }

        BenchContext.Log($"expiry-scan: {total:N0} credentials seeded in {seeding.Elapsed.TotalSeconds:0} s");
        for (var run = 0; run < context.Repeats; run++)
        {
            if (run > 0)
            {
                await using var connection = await OpenAsync(connectionString, cancellationToken);
                await ExecuteAsync(connection, "UPDATE users SET next_expiry_notice_at = password_expires_at - interval '30 days' WHERE user_name LIKE 'due%'", cancellationToken);
                await ExecuteAsync(connection, "DELETE FROM credential_notices", cancellationToken);
                await ExecuteAsync(connection, "DELETE FROM outbox_messages", cancellationToken);
                await ExecuteAsync(connection, "VACUUM ANALYZE users", cancellationToken);
            }

            // Baseline: the scanner's query, made to read the whole table.
            NpgsqlConnection.ClearAllPools();
            var before = await ReadStatsAsync(connectionString, cancellationToken);
            var fullScan = Stopwatch.StartNew();
            var found = 0;
            // Unpooled: its backend ends when it closes, which flushes its table counters at once.
            await using (var connection = await OpenAsync(connectionString + ";Pooling=false", cancellationToken))
            {
                await ExecuteAsync(connection, "SET enable_indexscan = off; SET enable_bitmapscan = off", cancellationToken);
                await using var query = new NpgsqlCommand(DuePasswordsSql, connection);
                query.Parameters.AddWithValue("now", DateTimeOffset.UtcNow);
                query.Parameters.AddWithValue("limit", total);
                await using var reader = await query.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    found++;
                }
            }

            var fullScanSeconds = fullScan.Elapsed.TotalSeconds;
            var afterFullScan = await ReadStatsAsync(connectionString, cancellationToken, before);

            var scan = Stopwatch.StartNew();
            var cpuBefore = CpuShare.OwnTreeSeconds();
            ExpiryScanResult outcome;
            await using (var scope = host.Services.CreateAsyncScope())
            {
                outcome = await scope.ServiceProvider.GetRequiredService<CredentialExpiryScanner>().ScanAsync(cancellationToken);
            }

            var scanSeconds = scan.Elapsed.TotalSeconds;
            var scanCpu = CpuShare.OwnTreeSeconds() - cpuBefore;
            NpgsqlConnection.ClearAllPools(); // ends the scanner's backends, so their table counters are flushed
            var afterScan = await ReadStatsAsync(connectionString, cancellationToken, afterFullScan);

            var figures = result.FigureSet;
            figures.Add("scan (index)", "time", "s", scanSeconds);
            figures.Add("scan (index)", "CPU time (scanner and PostgreSQL)", "s", scanCpu);
            figures.Add("scan (index)", "rows read", "rows", afterScan.RowsRead - afterFullScan.RowsRead);
            figures.Add("scan (index)", "rows read / due", "x", (afterScan.RowsRead - afterFullScan.RowsRead) / (double)due);
            figures.Add("scan (index)", "credentials read by the scanner", "rows", outcome.CredentialsRead);
            figures.Add("scan (index)", "notices published", "count", outcome.NoticesPublished);
            figures.Add("scan (index)", "due credentials handled/s", "/s", outcome.NoticesPublished / scanSeconds);
            figures.Add("full table scan", "time", "s", fullScanSeconds);
            figures.Add("full table scan", "rows read", "rows", afterFullScan.RowsRead - before.RowsRead);
            figures.Add("full table scan", "due rows found", "rows", found);
            BenchContext.Log($"expiry-scan run {run + 1}: scan {scanSeconds:0.00} s, {afterScan.RowsRead - afterFullScan.RowsRead:N0} rows read, " +
                $"{outcome.NoticesPublished:N0} notices; full table scan {fullScanSeconds:0.00} s, {afterFullScan.RowsRead - before.RowsRead:N0} rows");
        }

        var time = result.FigureSet.MedianOf("scan (index)", "time");
        var ratio = result.FigureSet.MedianOf("scan (index)", "rows read / due");
        var scale = total == 1_000_000 ? "" : $" (quick: {total:N0} credentials, not 1,000,000)";
        result.Goals.Add(new Goal("scan time", "< 5 s for 1,000,000 credentials, 1% due", $"{time:0.00} s{scale}", total == 1_000_000 ? time < 5 : null));
        result.Goals.Add(new Goal("rows read", "within 2x the due count", $"{ratio:0.00}x", ratio <= 2));
    }

    private static IHost BuildIdentity(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:identitydb"] = connectionString,
            // The bus is registered but never started here: the scan only writes outbox rows.
            ["ConnectionStrings:messaging"] = "amqp://guest:guest@127.0.0.1:1/",
            ["Identity:ExpiryScan:Enabled"] = "false",
            ["Identity:Server:RequireHttps"] = "false",
            ["Platform:DemoData"] = "false",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None); // the first migration's probe of a missing history table
        builder.AddApplicationServices();
        return builder.Build();
    }

    /// <summary>Inserts users straight into the table, as tests/Identity.Tests does (no password hashing: the scan reads the schedule).</summary>
    private static async Task SeedAsync(NpgsqlConnection connection, int count, DateTimeOffset expiresAt, string prefix, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO users (id, display_name, role, practice_ods, created_at, password_changed_at, password_expires_at,
                               credential_version, next_expiry_notice_at, user_name, normalized_user_name, email, normalized_email,
                               email_confirmed, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count)
            SELECT gen_random_uuid(), @prefix || n, 'practice-user', NULL, @now, @now, @expires, 1, @expires - interval '30 days',
                   @prefix || n || '@bulk.bench', upper(@prefix || n || '@bulk.bench'), @prefix || n || '@bulk.bench', upper(@prefix || n || '@bulk.bench'),
                   true, false, false, true, 0
            FROM generate_series(0, @count - 1) AS n
            """, connection) { CommandTimeout = 600 };
        command.Parameters.AddWithValue("prefix", prefix);
        command.Parameters.AddWithValue("now", DateTimeOffset.UtcNow);
        command.Parameters.AddWithValue("expires", expiresAt);
        command.Parameters.AddWithValue("count", count);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record TableStats(long SeqRead, long IndexFetched)
    {
        public long RowsRead => SeqRead + IndexFetched;
    }

    /// <summary>
    /// The users table's read counters. Backends report them when they go idle or end, so after a change this waits until
    /// two readings in a row agree (at most 5 s).
    /// </summary>
    private static async Task<TableStats> ReadStatsAsync(string connectionString, CancellationToken cancellationToken, TableStats? previous = null)
    {
        async Task<TableStats> ReadAsync()
        {
            await using var connection = await OpenAsync(connectionString + ";Pooling=false", cancellationToken);
            await using var query = new NpgsqlCommand(
                "SELECT coalesce(seq_tup_read, 0), coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables WHERE relname = 'users'", connection);
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new TableStats(reader.GetInt64(0), reader.GetInt64(1));
        }

        var waited = Stopwatch.StartNew();
        var last = await ReadAsync();
        while (waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(250, cancellationToken);
            var current = await ReadAsync();
            if (current == last && (previous is null || current != previous))
            {
                return current;
            }

            last = current;
        }

        return last;
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
