using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Tests;

public sealed partial class PlatformAppFixture
{
    /// <summary>
    /// Kills a service's process with SIGKILL (no shutdown, no flushing) and starts it again,
    /// waiting until it is healthy: the crash a deployment or an OOM kill causes.
    /// </summary>
    public async Task KillAndRestartAsync(string resourceName, CancellationToken cancellationToken)
    {
        var notifications = App.ResourceNotifications;
        if (!notifications.TryGetCurrentState(resourceName, out var current)
            || current.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is not { } pidValue)
        {
            throw new InvalidOperationException($"No process id is known for {resourceName}.");
        }
        var pid = Convert.ToInt32(pidValue, System.Globalization.CultureInfo.InvariantCulture);
        // The resource's process is the launcher (dotnet run); the service is its child: kill them both.
        Process.GetProcessById(pid).Kill(entireProcessTree: true);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await notifications.WaitForResourceAsync(resourceName,
            state => state.Snapshot.State?.Text is "Exited" or "Finished" or "FailedToStart", timeout.Token);

        var resource = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resourceName);
        var result = await App.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, timeout.Token);
        if (!result.Success) throw new InvalidOperationException($"Starting {resourceName} again failed: {result.Message}");
        await notifications.WaitForResourceHealthyAsync(resourceName, timeout.Token);
    }
}
