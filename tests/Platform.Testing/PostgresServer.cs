using Npgsql;

namespace Platform.Testing;

/// <summary>A real PostgreSQL 15 server on a free loopback port with a fresh data folder (scripts/local/postgres.sh).</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string ReadyLine = "postgres ready on";
    private readonly string dataDirectory;
    private readonly string[] databases;
    private readonly bool owned;
    private ServerProcess? process;

    private PostgresServer(int port, string dataDirectory, string[] databases, bool owned = true)
    {
        Port = port;
        this.dataDirectory = dataDirectory;
        this.databases = databases;
        this.owned = owned;
    }

    public int Port { get; }

    public static async Task<PostgresServer> StartAsync(params string[] databases)
    {
        var server = new PostgresServer(FreeTcpPort.Find(), TempDirectory.Create("postgres"), databases);
        try
        {
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A server that runs already (<see cref="SharedTestServers"/>): disposing it leaves it running.</summary>
    public static PostgresServer Attach(int port) => new(port, "", [], owned: false);

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Password = "postgres",
        Database = database,
    }.ConnectionString;

    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the server (fast shutdown); <see cref="StartAgainAsync"/> brings it back with the same data and port.</summary>
    public async Task StopAsync()
    {
        if (!owned) throw new InvalidOperationException("A shared server is not for one test to stop: start one of its own.");
        if (process is not null)
        {
            await process.StopAsync();
            process = null;
        }
    }

    public async Task StartAgainAsync()
    {
        if (process is not null || !owned)
        {
            throw new InvalidOperationException("The server is already running.");
        }

        var started = ServerProcess.Start(
            $"postgres on port {Port}",
            RepositoryRoot.Script("postgres.sh"),
            [dataDirectory, Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. databases]);
        process = started;
        await started.WaitUntilReadyAsync(async cancellationToken =>
            started.OutputContains(ReadyLine) && await CanQueryAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        if (!owned) return;
        await StopAsync();
        TempDirectory.DeleteQuietly(dataDirectory);
    }

    private async Task<bool> CanQueryAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is 1;
    }
}
