using System.Net.Sockets;
using System.Text;
using Npgsql;
using Platform.Testing;

namespace Messaging.Tests;

/// <summary>The Platform.Testing servers themselves, which every service's integration tests rely on.</summary>
public sealed class ServerFixtureTests
{
    [Fact]
    public async Task Postgres_started_again_on_its_folder_keeps_its_data_and_port()
    {
        await using var postgres = await PostgresServer.StartAsync("keep");
        await ExecuteAsync(postgres.ConnectionString("keep"), "CREATE TABLE kept (value int); INSERT INTO kept VALUES (42)");
        var port = postgres.Port;

        await postgres.StopAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => ExecuteAsync(postgres.ConnectionString("keep"), "SELECT 1"));
        await postgres.StartAgainAsync();

        Assert.Equal(port, postgres.Port);
        Assert.Equal(42, await ExecuteAsync(postgres.ConnectionString("keep"), "SELECT value FROM kept"));
    }

    [Fact]
    public async Task Redis_answers_on_its_port()
    {
        await using var redis = await RedisServer.StartAsync();

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", redis.Port, TestContext.Current.CancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken);

        Assert.Equal("+PONG\r\n", Encoding.ASCII.GetString(buffer, 0, read));
        Assert.Equal($"127.0.0.1:{redis.Port}", redis.ConnectionString);
    }

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
