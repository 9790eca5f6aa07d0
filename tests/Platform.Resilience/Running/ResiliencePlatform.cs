using System.Collections.Concurrent;
using Aspire.Hosting;
using Npgsql;
using Platform.Testing;

namespace Platform.Resilience.Running;

/// <summary>
/// The whole platform, started once for this project through the real AppHost in <c>local</c> mode, with free ports and
/// a fresh data folder (<see cref="PlatformUnderTest"/>). Payments and Identity run two instances each (so two ledger posters
/// and two expiry scanners race in every case); the other services and the gateway run one. For the run, Identity scans for
/// due credential warnings every 2 seconds and Notifications retries an unreachable relay at most 5 seconds apart, so a case
/// settles in seconds rather than the production minutes. The tests break its servers through <see cref="ResourceControl"/>.
/// </summary>
public sealed partial class ResiliencePlatform : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);

    /// <summary>Instances of Payments and of Identity (the ledger poster and the expiry scanner each run this many times at once).</summary>
    public const int RacingReplicas = 2;

    public static readonly string[] Services = ["identity", "submissions", "payments", "notifications"];
    public static readonly string[] Databases = ["identitydb", "submissionsdb", "paymentsdb", "notificationsdb"];

    // No dashboard: these tests read databases, the broker and smtp4dev, not traces, and the machine has two cores.
    // A run breaks its servers many times over: each resource keeps its last 400 console lines.
    private readonly PlatformUnderTest platform = new(typeof(Projects.Platform_AppHost), "platform-resilience", replicas: 1,
        dashboard: false, keptLogLines: 400);
    // Cancels what is still creating the test practices when the run ends.
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<string, NpgsqlDataSource> databases = new(StringComparer.Ordinal);
    private HttpClient? gateway;

    public DistributedApplication App => platform.App;

    /// <summary>Plain client (no retries, no cookies) whose base address is the gateway.</summary>
    public HttpClient Gateway => gateway ?? throw new InvalidOperationException("The platform has not started.");

    public LocalPorts Ports => platform.Ports;

    public string DataPath => platform.DataPath;

    public Uri Smtp4devUrl => new($"http://localhost:{Ports.SmtpWeb}/");

    /// <summary>smtp4dev's API, patient with a busy machine (it lists every message each time it is asked).</summary>
    public Smtp4devMailbox Mailbox() => new(Smtp4devUrl, TimeSpan.FromSeconds(60));

    public IReadOnlyList<string> ResourceNames => platform.ResourceNames;

    /// <summary>A pool on one service's own database (test-only access: the checker reads ledgers, notices and rows directly).</summary>
    public NpgsqlDataSource Database(string name) => databases.GetOrAdd(name, database => NpgsqlDataSource.Create(
        $"Host=127.0.0.1;Port={Ports.Postgres};Username=postgres;Password=postgres;Database={database};Timeout=10;Command Timeout=30"));

    /// <summary>A service's address without the gateway (its proxied endpoint, balanced over its instances).</summary>
    public Uri ServiceUrl(string service) => platform.HttpEndpoint(service);

    public IReadOnlyList<string> RecentLogs(string resourceName) => platform.Logs(resourceName);

    public string DescribeLogs(IEnumerable<string> resourceNames) => platform.DescribeLogs(resourceNames);

    public async ValueTask InitializeAsync()
    {
        RunLog.Write("starting the platform");
        await platform.StartAsync(StartTimeout, builder =>
        {
            PlatformUnderTest.Project(builder, "payments").WithReplicas(RacingReplicas);
            PlatformUnderTest.Project(builder, "identity").WithReplicas(RacingReplicas)
                .WithEnvironment("Identity__ExpiryScan__Interval", "00:00:02");
            PlatformUnderTest.Project(builder, "notifications")
                .WithEnvironment("Notifications__Delivery__MaxRetryDelay", "00:00:05");
        });
        RunLog.Write("every resource healthy");
        gateway = new HttpClient { BaseAddress = platform.HttpEndpoint("gateway"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async ValueTask DisposeAsync()
    {
        RunLog.Write("stopping the platform");
        gateway?.Dispose();
        foreach (var database in databases.Values)
        {
            await database.DisposeAsync();
        }

        try
        {
            await platform.DisposeAsync();
        }
        finally
        {
            await stopping.CancelAsync();
            stopping.Dispose();
        }
        RunLog.Write("platform stopped");
    }
}
