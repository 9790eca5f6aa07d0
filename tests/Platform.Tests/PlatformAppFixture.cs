using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;

namespace Platform.Tests;

/// <summary>
/// Starts the whole platform once per test run through the real AppHost (<see cref="PlatformUnderTest"/>: <c>local</c> mode,
/// a fresh data folder and free ports for every server) and waits until every resource is healthy.
/// Tests talk to it through the gateway (<see cref="Gateway"/>), read sent mail from smtp4dev's REST
/// API (<see cref="Smtp4devApi"/>) and read traces from the Aspire dashboard (<see cref="GetTraceAsync"/>).
/// </summary>
public sealed partial class PlatformAppFixture : IAsyncLifetime
{
    /// <summary>Start-up of every server and service, builds excluded (the test project builds them first); generous, as ten
    /// service processes (two instances each) start at once on two cores.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    // The dashboard runs: it is the OTLP receiver and trace store the tests read from.
    private readonly PlatformUnderTest platform = new(typeof(Projects.Platform_AppHost), "platform-tests", ReplicasToRun(), dashboard: true);
    private HttpClient? gateway;
    private HttpClient? dashboard;
    private DashboardTraceStore? traces;

    /// <summary>The running application; resource states through <c>App.ResourceNotifications</c>.</summary>
    public DistributedApplication App => platform.App;

    /// <summary>Plain client (no retries) whose base address is the gateway's HTTP endpoint.</summary>
    public HttpClient Gateway => gateway ?? throw NotStarted();

    /// <summary>smtp4dev's REST API, e.g. <c>new Uri(Smtp4devApi, "messages")</c>.</summary>
    public Uri Smtp4devApi => new($"http://localhost:{Ports.SmtpWeb}/api/");

    /// <summary>The dashboard (trace store) base address.</summary>
    public Uri DashboardUrl => dashboard?.BaseAddress ?? throw NotStarted();

    public LocalPorts Ports => platform.Ports;

    /// <summary>
    /// Instances of every service and of the gateway (<c>PLATFORM_TEST_REPLICAS</c>, default 1); <c>./platform test</c>
    /// runs these tests with 2, so competing consumers and shared rate limits are what they meet.
    /// </summary>
    public int Replicas => platform.Replicas;

    /// <summary>This run's data folder (PostgreSQL, RabbitMQ, Redis, smtp4dev), deleted afterwards.</summary>
    public string DataPath => platform.DataPath;

    /// <summary>Every resource of the model, the dashboard included.</summary>
    public IReadOnlyList<string> ResourceNames => platform.ResourceNames;

    /// <summary>Reads one trace from the dashboard: every span so far (service, name, ids, parent, attributes).</summary>
    public Task<IReadOnlyList<SpanInfo>> GetTraceAsync(string traceId, CancellationToken cancellationToken = default) =>
        Traces.GetTraceAsync(traceId, cancellationToken);

    /// <summary>The trace store, with a polling helper for spans that are still being exported.</summary>
    public DashboardTraceStore Traces => traces ?? throw NotStarted();

    /// <summary>The last console lines a resource wrote (servers and services alike).</summary>
    public IReadOnlyList<string> RecentLogs(string resourceName) => AllLogs(resourceName).TakeLast(200).ToList();

    /// <summary>Every console line a resource wrote in this run (for the scan for secrets).</summary>
    public IReadOnlyList<string> AllLogs(string resourceName) => platform.Logs(resourceName);

    /// <summary>The last console lines of each of these resources, for a failure message.</summary>
    public string DescribeLogs(params string[] resourceNames) => platform.DescribeLogs(resourceNames);

    public async ValueTask InitializeAsync()
    {
        await platform.StartAsync(StartTimeout);

        gateway = new HttpClient { BaseAddress = platform.HttpEndpoint("gateway") };

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var dashboardUrl = await App.GetDashboardUrlAsync(timeout.Token);
        dashboard = new HttpClient { BaseAddress = new Uri(dashboardUrl.GetLeftPart(UriPartial.Authority) + "/") };
        if (App.Services.GetRequiredService<IConfiguration>()["AppHost:DashboardApiKey"] is { Length: > 0 } apiKey)
        {
            dashboard.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }
        traces = new DashboardTraceStore(dashboard);
    }

    public async ValueTask DisposeAsync()
    {
        gateway?.Dispose();
        dashboard?.Dispose();
        await platform.DisposeAsync();
    }

    private static int ReplicasToRun() =>
        int.TryParse(Environment.GetEnvironmentVariable("PLATFORM_TEST_REPLICAS"), out var replicas) ? replicas : 1;

    private static InvalidOperationException NotStarted() => new("The platform has not started.");
}
