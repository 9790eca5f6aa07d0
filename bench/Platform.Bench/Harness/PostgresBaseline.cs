
namespace Platform.Bench.Harness;

/// <summary>
/// The database's own ceiling: single-row autocommit INSERTs (each one a committed, flushed transaction) into a scratch
/// database on the same PostgreSQL server, from this process, as fast as 16 connections go.
/// </summary>
public static class PostgresBaseline
{
    public static async Task<LoadRun> InsertRateAsync(string anyDatabase, int seconds, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(anyDatabase) { Database = "postgres" };
        await using (var admin = new NpgsqlConnection(connection.ConnectionString))
        {
            await admin.OpenAsync(cancellationToken);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = 'bench_baseline'", admin);
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                await using var create = new NpgsqlCommand("CREATE DATABASE bench_baseline", admin);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        connection.Database = "bench_baseline";
        connection.MaxPoolSize = 16;
        await using var source = NpgsqlDataSource.Create(connection.ConnectionString);
        await using (var create = source.CreateCommand(
            "CREATE TABLE IF NOT EXISTS receipts (id uuid PRIMARY KEY, practice_ods text NOT NULL, body jsonb NOT NULL, received_at timestamptz NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        const string Body = """{"serviceCode":"FLU","period":"2026-10","values":[{"indicator":"FLU_65_PLUS","value":120}]}""";
        const int Rate = 20_000;
        return await OpenLoad.RunAsync(Rate, Rate * seconds, 16, async (_, ct) =>
        {
            await using var insert = source.CreateCommand("INSERT INTO receipts (id, practice_ods, body, received_at) VALUES ($1, $2, $3::jsonb, $4)");
            insert.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
            insert.Parameters.Add(new NpgsqlParameter { Value = "A81001" });
            insert.Parameters.Add(new NpgsqlParameter { Value = Body });
            insert.Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.UtcNow });
            return await insert.ExecuteNonQueryAsync(ct) == 1 ? null : "not inserted";
        }, TimeSpan.FromSeconds(seconds * 3 + 30), cancellationToken, window: TimeSpan.FromSeconds(seconds));
    }
}
