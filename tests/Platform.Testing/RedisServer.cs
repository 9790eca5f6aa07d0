using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Platform.Testing;

/// <summary>A real Redis server on a free loopback port with a fresh data folder (scripts/local/redis.sh).</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string dataDirectory;
    private readonly bool owned;
    private ServerProcess? process;

    private RedisServer(int port, string dataDirectory, bool owned = true)
    {
        Port = port;
        this.dataDirectory = dataDirectory;
        this.owned = owned;
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis format.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>A server that runs already (<see cref="SharedTestServers"/>): disposing it leaves it running.</summary>
    public static RedisServer Attach(int port) => new(port, "", owned: false);

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreeTcpPort.Find(), TempDirectory.Create("redis"));
        try
        {
            var started = ServerProcess.Start(
                $"redis on port {server.Port}",
                RepositoryRoot.Script("redis.sh"),
                server.dataDirectory,
                server.Port.ToString(CultureInfo.InvariantCulture));
            server.process = started;
            await started.WaitUntilReadyAsync(server.AnswersPingAsync);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!owned) return;
        if (process is not null)
        {
            await process.StopAsync();
            process = null;
        }

        TempDirectory.DeleteQuietly(dataDirectory);
    }

    private async Task<bool> AnswersPingAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), cancellationToken);
        await socket.SendAsync("PING\r\n"u8.ToArray(), cancellationToken);
        var buffer = new byte[64];
        var read = await socket.ReceiveAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
    }
}
