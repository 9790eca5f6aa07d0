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

    /// <summary>
    /// The whole platform's ports are picked before its servers start, seconds later. In the kernel's ephemeral range a
    /// port freed by the picking can be handed to anyone binding port 0 or connecting out in between (DCP and the services
    /// starting), and a server that then cannot bind it may still look healthy: smtp4dev's web API did, its SMTP did not.
    /// </summary>
    [Fact]
    public void The_platforms_ports_are_picked_below_the_ephemeral_range_with_rabbitmqs_distribution_port()
    {
        var ephemeralLow = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 20; i++)
        {
            var ports = LocalPorts.Pick();
            int[] all = [ports.Postgres, ports.RabbitMq, ports.Redis, ports.Smtp, ports.SmtpWeb, ports.Gateway, LocalPorts.DistributionPort(ports.RabbitMq)];
            Assert.All(all, port => Assert.InRange(port, 1025, ephemeralLow - 1));
            Assert.Equal(all.Length, all.Distinct().Count());
        }
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
