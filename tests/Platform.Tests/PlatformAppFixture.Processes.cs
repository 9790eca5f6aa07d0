using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;

namespace Platform.Tests;

public sealed partial class PlatformAppFixture
{
    // The latest state of every running instance, by resource id: with replicas, one resource ("payments")
    // has several instances ("payments-abcd1234"), and the notification service answers by id.
    private readonly ConcurrentDictionary<string, ResourceEvent> _instances = new(StringComparer.Ordinal);

    /// <summary>The instances of one resource (one per replica), by resource id.</summary>
    public IReadOnlyList<ResourceEvent> InstancesOf(string resourceName) =>
        [.. _instances.Values.Where(e => e.Resource.Name == resourceName).OrderBy(e => e.ResourceId, StringComparer.Ordinal)];

    /// <summary>
    /// Kills every instance of a service with SIGKILL (no shutdown, no flushing) and starts them again,
    /// waiting until each is healthy: the crash a deployment or an OOM kill causes.
    /// </summary>
    public async Task KillAndRestartAsync(string resourceName, CancellationToken cancellationToken)
    {
        var instances = InstancesOf(resourceName);
        if (instances.Count == 0) throw new InvalidOperationException($"No instance of {resourceName} is known.");
        foreach (var instance in instances)
        {
            if (instance.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is not { } pid)
            {
                throw new InvalidOperationException($"No process id is known for {instance.ResourceId}.");
            }
            // The resource's process is the launcher (dotnet run); the service is its child: kill them both.
            Process.GetProcessById(Convert.ToInt32(pid, CultureInfo.InvariantCulture)).Kill(entireProcessTree: true);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var notifications = App.ResourceNotifications;
        var commands = App.Services.GetRequiredService<ResourceCommandService>();
        await Task.WhenAll(instances.Select(async instance =>
        {
            await notifications.WaitForResourceAsync(resourceName,
                e => e.ResourceId == instance.ResourceId && e.Snapshot.State?.Text is "Exited" or "Finished" or "FailedToStart", timeout.Token);
            var result = await commands.ExecuteCommandAsync(instance.ResourceId, KnownResourceCommands.StartCommand, timeout.Token);
            if (!result.Success) throw new InvalidOperationException($"Starting {instance.ResourceId} again failed: {result.Message}");
            await notifications.WaitForResourceAsync(resourceName,
                e => e.ResourceId == instance.ResourceId && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
                timeout.Token);
        }));
    }

    /// <summary>Runs rabbitmqctl against this run's broker (e.g. <c>list_queues name consumers</c>) and returns its output.</summary>
    public async Task<string> RabbitMqCtlAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output, error) = await ScriptCommand.RunAsync(RepositoryRoot.Script("rabbitmq-ctl.sh"),
            [Path.Combine(DataPath, "rabbitmq"), Ports.RabbitMq.ToString(CultureInfo.InvariantCulture), .. arguments],
            TimeSpan.FromMinutes(1), cancellationToken);
        return exitCode == 0 ? output : throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({exitCode}): {error}");
    }

    /// <summary>Every instance's state and health, with the last lines of those not healthy: why a start-up hangs.</summary>
    private async Task<string> DescribeInstancesAsync()
    {
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        var lines = new List<string>();
        foreach (var instance in _instances.Values.OrderBy(e => e.ResourceId, StringComparer.Ordinal))
        {
            var snapshot = instance.Snapshot;
            lines.Add($"{instance.ResourceId}: {snapshot.State?.Text ?? "no state"}, health {snapshot.HealthStatus?.ToString() ?? "none"}, exit code {snapshot.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
            if (snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy) continue;
            var written = new List<string>();
            using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await foreach (var batch in logs.WatchAsync(instance.ResourceId).WithCancellation(enough.Token))
                {
                    written.AddRange(batch.Select(line => line.Content));
                }
            }
            catch (OperationCanceledException)
            {
            }
            lines.AddRange(written.TakeLast(20).Select(line => $"    {line}"));
        }
        return string.Join(Environment.NewLine, lines);
    }

    private async Task TrackInstancesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var resourceEvent in App.ResourceNotifications.WatchAsync(cancellationToken))
            {
                _instances[resourceEvent.ResourceId] = resourceEvent;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
