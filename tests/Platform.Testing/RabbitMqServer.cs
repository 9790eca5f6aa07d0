using System.Globalization;

namespace Platform.Testing;

/// <summary>A real RabbitMQ node on a free loopback port with a fresh data folder (scripts/local/rabbitmq.sh).</summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private static readonly TimeSpan CtlTimeout = TimeSpan.FromSeconds(60);
    private readonly string dataDirectory;
    private readonly bool owned;
    private ServerProcess? process;

    private RabbitMqServer(int port, string dataDirectory, bool owned = true)
    {
        Port = port;
        this.dataDirectory = dataDirectory;
        this.owned = owned;
    }

    public int Port { get; }

    public Uri AmqpUri => new($"amqp://guest:guest@127.0.0.1:{Port}/");

    public static async Task<RabbitMqServer> StartAsync()
    {
        var port = FreeTcpPort.Find(candidate => [DistributionPort(candidate)]);
        var server = new RabbitMqServer(port, TempDirectory.Create("rabbitmq"));
        try
        {
            var started = ServerProcess.Start($"rabbitmq on port {port}", RepositoryRoot.Script("rabbitmq.sh"), server.ScriptArguments());
            server.process = started;
            await started.WaitUntilReadyAsync(async cancellationToken =>
                await TcpProbe.CanConnectAsync(port, cancellationToken)
                && (await server.RunCtlAsync(["await_startup"], cancellationToken)).ExitCode == 0);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A node that runs already (<see cref="SharedTestServers"/>): disposing it leaves it running.</summary>
    public static RabbitMqServer Attach(int port, string dataDirectory) => new(port, dataDirectory, owned: false);

    /// <summary>Runs rabbitmqctl against this node (e.g. <c>list_queues name messages</c>, <c>stop_app</c>) and returns its standard output.</summary>
    public async Task<string> CtlAsync(params string[] args)
    {
        var (exitCode, standardOutput, standardError) = await RunCtlAsync(args, CancellationToken.None);
        return exitCode == 0
            ? standardOutput
            : throw new InvalidOperationException(
                $"rabbitmqctl {string.Join(' ', args)} exited with code {exitCode}:\n{standardOutput}{standardError}");
    }

    /// <summary>Runs rabbitmq-plugins against this node (e.g. <c>enable rabbitmq_shovel</c>) and returns its standard output.</summary>
    public async Task<string> PluginsAsync(params string[] args)
    {
        var (exitCode, standardOutput, standardError) = await ScriptCommand.RunAsync(
            RepositoryRoot.Script("rabbitmq-plugins.sh"), [.. ScriptArguments(), .. args], CtlTimeout, CancellationToken.None);
        return exitCode == 0
            ? standardOutput
            : throw new InvalidOperationException(
                $"rabbitmq-plugins {string.Join(' ', args)} exited with code {exitCode}:\n{standardOutput}{standardError}");
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

    // Mirrors scripts/local/rabbitmq-env.sh: the node also listens on this port for rabbitmqctl.
    private static int DistributionPort(int port) => port + 10000 < 65000 ? port + 10000 : port - 30000;

    private string[] ScriptArguments() => [dataDirectory, Port.ToString(CultureInfo.InvariantCulture)];

    private Task<(int ExitCode, string StandardOutput, string StandardError)> RunCtlAsync(
        string[] args, CancellationToken cancellationToken) =>
        ScriptCommand.RunAsync(RepositoryRoot.Script("rabbitmq-ctl.sh"), [.. ScriptArguments(), .. args], CtlTimeout, cancellationToken);
}
