using Microsoft.Extensions.Logging;
using Npgsql;

namespace Platform.ServiceDefaults;

/// <summary>
/// A PostgreSQL session advisory lock in the service's database, held on a connection of its own. It is unlocked
/// explicitly: pooled connections keep their session (<see cref="ServiceDatabaseExtensions"/>), so closing one would not.
/// Taking it waits for a database that is still starting (a restart, a slow disk), up to 30 s.
/// </summary>
public sealed class PostgresReplicaLock(string connectionString, long lockId, ILogger? logger = null) : IReplicaLock
{
    private const int OpenAttempts = 30;

    public IDisposable Take() => TakeAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public async ValueTask<Held> TakeAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await OpenWithRetryAsync(connection, cancellationToken);
            await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({lockId})", connection);
            await take.ExecuteNonQueryAsync(cancellationToken);
            return new Held(connection, lockId);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task OpenWithRetryAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException exception) when (attempt < OpenAttempts)
            {
                logger?.LogWarning("Database not reachable yet (attempt {Attempt}): {Message}", attempt, exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    /// <summary>The lock while held; disposing it unlocks and closes its connection.</summary>
    public sealed class Held(NpgsqlConnection connection, long lockId) : IDisposable, IAsyncDisposable
    {
        public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({lockId})", connection);
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
