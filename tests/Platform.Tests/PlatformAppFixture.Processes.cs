using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Tests;

public sealed partial class PlatformAppFixture
{
    /// <summary>The instances of one resource (one per replica), by resource id.</summary>
    public IReadOnlyList<ResourceEvent> InstancesOf(string resourceName) => platform.InstancesOf(resourceName);

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
    public Task<string> RabbitMqCtlAsync(string[] arguments, CancellationToken cancellationToken) =>
        platform.RabbitMqCtlAsync(arguments, TimeSpan.FromMinutes(1), cancellationToken);
}
