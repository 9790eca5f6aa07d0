using Npgsql;

namespace Platform.ServiceDefaults;

/// <summary>
/// A PostgreSQL session advisory lock in the service's database, held on a connection of its own. It is unlocked
/// explicitly: pooled connections keep their session (<see cref="ServiceDatabaseExtensions"/>), so closing one would not.
/// </summary>
public sealed class PostgresReplicaLock(string connectionString, long lockId) : IReplicaLock
{
    public IDisposable Take()
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            connection.Open();
            using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({lockId})", connection);
            take.ExecuteNonQuery();
            return new Held(connection, lockId);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed class Held(NpgsqlConnection connection, long lockId) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({lockId})", connection);
                release.ExecuteNonQuery();
            }
            finally
            {
                connection.Dispose();
            }
        }
    }
}
