using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Testing;

namespace Platform.Resilience.Running;

/// <summary>
/// The whole platform, started once for this project through the real AppHost in <c>local</c> mode, with free ports and
/// a fresh data folder. Payments and Identity run two instances each (so two ledger posters and two expiry scanners race
/// in every case); the other services and the gateway run one. For the run, Identity scans for due credential warnings
/// every 2 seconds and Notifications retries an unreachable relay at most 5 seconds apart, so a case settles in seconds
/// rather than the production minutes. The tests break its servers through <see cref="ResourceControl"/>.
/// </summary>
public sealed partial class ResiliencePlatform : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);

    /// <summary>Instances of Payments and of Identity (the ledger poster and the expiry scanner each run this many times at once).</summary>
    public const int RacingReplicas = 2;

    public static readonly string[] Services = ["identity", "submissions", "payments", "notifications"];
    public static readonly string[] Databases = ["identitydb", "submissionsdb", "paymentsdb", "notificationsdb"];

    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _logs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, NpgsqlDataSource> _databases = new(StringComparer.Ordinal);
    private DistributedApplication? _app;
    private HttpClient? _gateway;

    public DistributedApplication App => _app ?? throw NotStarted();

    /// <summary>Plain client (no retries, no cookies) whose base address is the gateway.</summary>
    public HttpClient Gateway => _gateway ?? throw NotStarted();

    public LocalPorts Ports { get; } = LocalPorts.Pick();

    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), $"platform-resilience-{Guid.NewGuid():N}");

    public Uri Smtp4devUrl => new($"http://localhost:{Ports.SmtpWeb}/");

    /// <summary>smtp4dev's API, patient with a busy machine (it lists every message each time it is asked).</summary>
    public Smtp4devMailbox Mailbox() => new(Smtp4devUrl, TimeSpan.FromSeconds(60));

    public IReadOnlyList<string> ResourceNames { get; private set; } = [];

    /// <summary>A pool on one service's own database (test-only access: the checker reads ledgers, notices and rows directly).</summary>
    public NpgsqlDataSource Database(string name) => _databases.GetOrAdd(name, database => NpgsqlDataSource.Create(
        $"Host=127.0.0.1;Port={Ports.Postgres};Username=postgres;Password=postgres;Database={database};Timeout=10;Command Timeout=30"));

    /// <summary>A service's address without the gateway (its proxied endpoint, balanced over its instances).</summary>
    public Uri ServiceUrl(string service) => App.GetEndpoint(service, "http");

    public IReadOnlyList<string> RecentLogs(string resourceName) =>
        _logs.TryGetValue(resourceName, out var lines) ? lines.ToArray() : [];

    public async ValueTask InitializeAsync()
    {
        RunLog.Write("starting the platform");
        using var timeout = new CancellationTokenSource(StartTimeout);
        var cancellationToken = timeout.Token;
        string[] args =
        [
            "--Infrastructure:Mode=local",
            $"--LocalInfrastructure:DataPath={DataPath}",
            $"--LocalInfrastructure:PostgresPort={Ports.Postgres}",
            $"--LocalInfrastructure:RabbitMqPort={Ports.RabbitMq}",
            $"--LocalInfrastructure:RedisPort={Ports.Redis}",
            $"--LocalInfrastructure:SmtpPort={Ports.Smtp}",
            $"--LocalInfrastructure:SmtpWebPort={Ports.SmtpWeb}",
            $"--Gateway:Port={Ports.Gateway}",
            "--Platform:Replicas=1",
        ];

        // No dashboard: these tests read databases, the broker and smtp4dev, not traces, and the machine has two cores.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Platform_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = false }, args, cancellationToken);
        Project(builder, "payments").WithReplicas(RacingReplicas);
        Project(builder, "identity").WithReplicas(RacingReplicas)
            .WithEnvironment("Identity__ExpiryScan__Interval", "00:00:02");
        Project(builder, "notifications")
            .WithEnvironment("Notifications__Delivery__MaxRetryDelay", "00:00:05");

        _app = await builder.BuildAsync(cancellationToken);
        var model = _app.Services.GetRequiredService<DistributedApplicationModel>();
        var logs = _app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in model.Resources)
        {
            _ = KeepRecentLogsAsync(logs, resource, _stopping.Token);
        }

        _ = TrackInstancesAsync(_stopping.Token);
        await _app.StartAsync(cancellationToken);
        ResourceNames = model.Resources
            .Where(resource => resource is not ParameterResource && !resource.Annotations.OfType<ExplicitStartupAnnotation>().Any())
            .Select(resource => resource.Name)
            .ToList();
        await WaitUntilHealthyAsync(cancellationToken);
        RunLog.Write("every resource healthy");
        _gateway = new HttpClient { BaseAddress = _app.GetEndpoint("gateway", "http"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async ValueTask DisposeAsync()
    {
        RunLog.Write("stopping the platform");
        _gateway?.Dispose();
        foreach (var database in _databases.Values)
        {
            await database.DisposeAsync();
        }

        if (_app is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                await _app.StopAsync(timeout.Token);
            }
            finally
            {
                await _app.DisposeAsync();
                await _stopping.CancelAsync();
            }
        }

        _stopping.Dispose();
        RunLog.Write("platform stopped");
        if (Environment.GetEnvironmentVariable("PLATFORM_TESTS_KEEP_DATA") != "1")
        {
            try
            {
                Directory.Delete(DataPath, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A server still shutting down may hold a file; the folder is under /tmp.
            }
        }
    }

    private static IResourceBuilder<ProjectResource> Project(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(resource => resource.Name == name));

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        var notifications = App.ResourceNotifications;
        var waits = ResourceNames.ToDictionary(name => name, name => notifications.WaitForResourceHealthyAsync(name, cancellationToken));
        try
        {
            await Task.WhenAll(waits.Values);
        }
        catch (Exception exception)
        {
            var pending = waits.Where(wait => !wait.Value.IsCompletedSuccessfully).Select(wait => wait.Key).ToList();
            throw new InvalidOperationException(
                $"The platform did not start: {string.Join(", ", pending)} not healthy ({exception.Message}).{Environment.NewLine}{DescribeLogs(pending)}",
                exception);
        }
    }

    public string DescribeLogs(IEnumerable<string> resourceNames) => string.Join(Environment.NewLine,
        resourceNames.Select(name =>
            $"--- {name} (last lines) ---{Environment.NewLine}{string.Join(Environment.NewLine, RecentLogs(name).TakeLast(30))}"));

    private async Task KeepRecentLogsAsync(ResourceLoggerService logs, IResource resource, CancellationToken cancellationToken)
    {
        var lines = _logs.GetOrAdd(resource.Name, _ => new ConcurrentQueue<string>());
        try
        {
            await foreach (var batch in logs.WatchAsync(resource).WithCancellation(cancellationToken))
            {
                foreach (var line in batch)
                {
                    lines.Enqueue(line.Content);
                    while (lines.Count > 400 && lines.TryDequeue(out _))
                    {
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static InvalidOperationException NotStarted() => new("The platform has not started.");
}
