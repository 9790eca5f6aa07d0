using System.Text.RegularExpressions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Tests;

/// <summary>
/// <c>Platform:Replicas</c> runs that many instances of every service and of the gateway (<c>./platform test</c> uses 2),
/// and the instances of a service compete for its queues rather than each taking every message.
/// </summary>
public sealed partial class ReplicaTests(PlatformAppFixture platform)
{
    private static readonly string[] Projects = ["identity", "submissions", "payments", "notifications", "gateway"];

    [Fact(Timeout = 120_000)]
    public async Task Every_service_and_the_gateway_run_the_configured_number_of_healthy_instances()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        foreach (var project in Projects)
        {
            await Eventually(() => platform.InstancesOf(project).Count(IsHealthy) == platform.Replicas, cancellationToken);
            Assert.Equal(platform.Replicas, platform.InstancesOf(project).Count);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Each_consumer_queue_has_one_consumer_per_service_instance()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var queues = Queues(await platform.RabbitMqCtlAsync(["list_queues", "--quiet", "--no-table-headers", "name", "consumers"], cancellationToken));

        // <service>-<message>: the durable endpoint queues (not their _error/_skipped companions, not per-instance bus queues).
        var endpoints = queues.Where(queue => Projects.Any(project => queue.Name.StartsWith(project + "-", StringComparison.Ordinal))
            && !queue.Name.EndsWith("_error", StringComparison.Ordinal) && !queue.Name.EndsWith("_skipped", StringComparison.Ordinal)).ToList();
        Assert.Contains(endpoints, queue => queue.Name == "payments-submission-accepted");
        Assert.All(endpoints, queue => Assert.True(queue.Consumers == platform.Replicas,
            $"{queue.Name} has {queue.Consumers} consumers; expected one per instance ({platform.Replicas})."));
    }

    private static bool IsHealthy(Aspire.Hosting.ApplicationModel.ResourceEvent instance) =>
        instance.Snapshot.State?.Text == "Running" && instance.Snapshot.HealthStatus == HealthStatus.Healthy;

    private static List<(string Name, int Consumers)> Queues(string listing) =>
        [.. listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => QueueLine().Match(line))
            .Where(match => match.Success)
            .Select(match => (match.Groups[1].Value, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))];

    private static async Task Eventually(Func<bool> condition, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
        }
    }

    [GeneratedRegex(@"^(\S+)\s+(\d+)$")]
    private static partial Regex QueueLine();
}
