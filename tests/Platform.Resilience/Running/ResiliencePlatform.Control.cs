using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Resilience.Running;

/// <summary>How the fault cases break the platform: kill a service, stop and start a server, drive RabbitMQ and PostgreSQL.</summary>
public sealed partial class ResiliencePlatform
{
    private static readonly TimeSpan ControlTimeout = TimeSpan.FromMinutes(3);
    private readonly List<Stop> stops = [];

    /// <summary>A resource stopped by <see cref="StopAsync"/>: from the request until no instance ran.</summary>
    public sealed record Stop(string Resource, DateTimeOffset Requested, DateTimeOffset Stopped);

    /// <summary>Every stop of this run, in order.</summary>
    public IReadOnlyList<Stop> Stops
    {
        get { lock (stops) return [.. stops]; }
    }

    /// <summary>The latest state of each instance of a resource ("payments" has two: "payments-abcd1234", "payments-efgh5678").</summary>
    public IReadOnlyList<ResourceEvent> InstancesOf(string resourceName) => platform.InstancesOf(resourceName);

    public static bool IsHealthy(ResourceEvent instance) =>
        instance.Snapshot.State?.Text == KnownResourceStates.Running && instance.Snapshot.HealthStatus == HealthStatus.Healthy;

    /// <summary>SIGKILL to every instance of a service (no shutdown, nothing flushed), then each started again and healthy.</summary>
    public async Task KillAndRestartAsync(string resourceName, CancellationToken cancellationToken)
    {
        var instances = Known(resourceName);
        foreach (var instance in instances)
        {
            if (instance.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is not { } pid)
            {
                throw new InvalidOperationException($"No process id is known for {instance.ResourceId}.");
            }

            // The resource's process is the launcher; the service is its child: kill them both.
            Process.GetProcessById(Convert.ToInt32(pid, CultureInfo.InvariantCulture)).Kill(entireProcessTree: true);
        }

        await WaitForStateAsync(instances, cancellationToken, "Exited", "Finished", "FailedToStart");
        await StartAsync(resourceName, cancellationToken);
    }

    /// <summary>Stops every instance of a resource (a server or a service) and waits until none runs.</summary>
    public async Task StopAsync(string resourceName, CancellationToken cancellationToken)
    {
        var instances = Known(resourceName);
        var requested = DateTimeOffset.UtcNow;
        await RunCommandAsync(instances, KnownResourceCommands.StopCommand, cancellationToken);
        await WaitForStateAsync(instances, cancellationToken, "Exited", "Finished", "FailedToStart");
        lock (stops) stops.Add(new Stop(resourceName, requested, DateTimeOffset.UtcNow));
    }

    /// <summary>Starts every instance of a stopped resource and waits until each is healthy again.</summary>
    public async Task StartAsync(string resourceName, CancellationToken cancellationToken)
    {
        var instances = Known(resourceName);
        await RunCommandAsync(instances, KnownResourceCommands.StartCommand, cancellationToken);
        await WaitUntilHealthyAsync(resourceName, cancellationToken);
    }

    /// <summary>Waits until every instance of a resource is running and healthy.</summary>
    public async Task WaitUntilHealthyAsync(string resourceName, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ControlTimeout);
        var notifications = App.ResourceNotifications;
        await Task.WhenAll(Known(resourceName).Select(instance => notifications.WaitForResourceAsync(resourceName,
            e => e.ResourceId == instance.ResourceId && IsHealthy(e), timeout.Token)));
    }

    /// <summary>Runs rabbitmqctl against this run's broker and returns its output.</summary>
    public Task<string> RabbitMqCtlAsync(string[] arguments, CancellationToken cancellationToken) =>
        platform.RabbitMqCtlAsync(arguments, TimeSpan.FromMinutes(2), cancellationToken);

    /// <summary>The broker's open AMQP connections by name ("client address:port -> broker address:port"): a reconnection has a new name.</summary>
    public async Task<IReadOnlySet<string>> RabbitMqConnectionsAsync(CancellationToken cancellationToken) =>
        (await RabbitMqCtlAsync(["list_connections", "--quiet", "--no-table-headers", "name"], cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// <c>pg_ctl stop -m immediate</c> on this run's cluster, as its owner: every backend is killed, nothing is checkpointed,
    /// and the next start runs crash recovery. scripts/local/postgres.sh then exits, and <see cref="StartAsync"/> runs it again.
    /// </summary>
    public async Task PostgresImmediateStopAsync(CancellationToken cancellationToken)
    {
        var instances = Known("postgres");
        var pgCtl = "/usr/lib/postgresql/15/bin/pg_ctl";
        string[] command = Environment.UserName == "root"
            ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", pgCtl]
            : [pgCtl];
        var startInfo = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1).Concat(["-D", Path.Combine(DataPath, "postgres"), "stop", "-m", "immediate", "-w"]))
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl stop -m immediate failed ({process.ExitCode}): {await error}");
        }

        await WaitForStateAsync(instances, cancellationToken, "Exited", "Finished", "FailedToStart");
    }

    private IReadOnlyList<ResourceEvent> Known(string resourceName)
    {
        var instances = InstancesOf(resourceName);
        return instances.Count > 0 ? instances : throw new InvalidOperationException($"No instance of {resourceName} is known.");
    }

    private async Task RunCommandAsync(IEnumerable<ResourceEvent> instances, string command, CancellationToken cancellationToken)
    {
        var commands = App.Services.GetRequiredService<ResourceCommandService>();
        foreach (var instance in instances)
        {
            var result = await commands.ExecuteCommandAsync(instance.ResourceId, command, cancellationToken);
            if (!result.Success) throw new InvalidOperationException($"{command} on {instance.ResourceId} failed: {result.Message}");
        }
    }

    private async Task WaitForStateAsync(IEnumerable<ResourceEvent> instances, CancellationToken cancellationToken, params string[] states)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ControlTimeout);
        var notifications = App.ResourceNotifications;
        await Task.WhenAll(instances.Select(instance => notifications.WaitForResourceAsync(instance.Resource.Name,
            e => e.ResourceId == instance.ResourceId && states.Contains(e.Snapshot.State?.Text), timeout.Token)));
    }
}
