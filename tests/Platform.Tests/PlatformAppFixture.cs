using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;

namespace Platform.Tests;

/// <summary>
/// Starts the whole platform once per test run through the real AppHost, in <c>local</c> mode, with a
/// fresh data folder and free ports for every server, and waits until every resource is healthy.
/// Tests talk to it through the gateway (<see cref="Gateway"/>), read sent mail from smtp4dev's REST
/// API (<see cref="Smtp4devApi"/>) and read traces from the Aspire dashboard (<see cref="GetTraceAsync"/>).
/// </summary>
public sealed partial class PlatformAppFixture : IAsyncLifetime
{
    /// <summary>Start-up of every server and service, builds excluded (the test project builds them first); generous, as ten
    /// service processes (two instances each) start at once on two cores.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _logs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private DistributedApplication? _app;
    private HttpClient? _gateway;
    private HttpClient? _dashboard;
    private DashboardTraceStore? _traces;

    /// <summary>The running application; resource states through <c>App.ResourceNotifications</c>.</summary>
    public DistributedApplication App => _app ?? throw NotStarted();

    /// <summary>Plain client (no retries) whose base address is the gateway's HTTP endpoint.</summary>
    public HttpClient Gateway => _gateway ?? throw NotStarted();

    /// <summary>smtp4dev's REST API, e.g. <c>new Uri(Smtp4devApi, "messages")</c>.</summary>
    public Uri Smtp4devApi => new($"http://localhost:{Ports.SmtpWeb}/api/");

    /// <summary>The dashboard (trace store) base address.</summary>
    public Uri DashboardUrl => _dashboard?.BaseAddress ?? throw NotStarted();

    public LocalPorts Ports { get; } = LocalPorts.Pick();

    /// <summary>
    /// Instances of every service and of the gateway (<c>PLATFORM_TEST_REPLICAS</c>, default 1); <c>./platform test</c>
    /// runs these tests with 2, so competing consumers and shared rate limits are what they meet.
    /// </summary>
    public int Replicas { get; } = int.TryParse(Environment.GetEnvironmentVariable("PLATFORM_TEST_REPLICAS"), out var replicas) ? replicas : 1;

    /// <summary>This run's data folder (PostgreSQL, RabbitMQ, Redis, smtp4dev), deleted afterwards.</summary>
    public string DataPath { get; } = Path.Combine(Path.GetTempPath(), $"platform-tests-{Guid.NewGuid():N}");

    /// <summary>Every resource of the model, the dashboard included.</summary>
    public IReadOnlyList<string> ResourceNames { get; private set; } = [];

    /// <summary>Reads one trace from the dashboard: every span so far (service, name, ids, parent, attributes).</summary>
    public Task<IReadOnlyList<SpanInfo>> GetTraceAsync(string traceId, CancellationToken cancellationToken = default) =>
        Traces.GetTraceAsync(traceId, cancellationToken);

    /// <summary>The trace store, with a polling helper for spans that are still being exported.</summary>
    public DashboardTraceStore Traces => _traces ?? throw NotStarted();

    /// <summary>The last console lines a resource wrote (servers and services alike).</summary>
    public IReadOnlyList<string> RecentLogs(string resourceName) => AllLogs(resourceName).TakeLast(200).ToList();

    /// <summary>Every console line a resource wrote in this run (for the scan for secrets).</summary>
    public IReadOnlyList<string> AllLogs(string resourceName) =>
        _logs.TryGetValue(resourceName, out var lines) ? lines.ToArray() : [];

    public async ValueTask InitializeAsync()
    {
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
            $"--Platform:Replicas={Replicas}",
        ];

        // EnableDashboard keeps the real dashboard (random loopback ports, its own login and API keys):
        // it is the OTLP receiver and trace store the tests read from.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Platform_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true }, args, cancellationToken);

        _app = await builder.BuildAsync(cancellationToken);
        var model = _app.Services.GetRequiredService<DistributedApplicationModel>();
        _ = TrackInstancesAsync(_stopping.Token);
        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested)
        {
            // Start-up waits for each resource's dependencies to be healthy: say which never were, and what they wrote.
            throw new InvalidOperationException(
                $"The platform did not start within {StartTimeout.TotalMinutes:0} minutes.{Environment.NewLine}{await DescribeInstancesAsync()}", exception);
        }

        // After start, when each resource's process name is known (watching before only finds the model's name, which
        // never logs); each watch begins with what the resource wrote so far.
        var logs = _app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in model.Resources)
        {
            _ = KeepRecentLogsAsync(logs, resource, _stopping.Token);
        }

        // After start the model also holds the dashboard. Resources that only start on demand
        // (Aspire's hidden '<project>-rebuilder' executables) are left out.
        ResourceNames = model.Resources
            .Where(resource => resource is not ParameterResource && !resource.Annotations.OfType<ExplicitStartupAnnotation>().Any())
            .Select(resource => resource.Name)
            .ToList();
        await WaitUntilHealthyAsync(cancellationToken);

        _gateway = new HttpClient { BaseAddress = _app.GetEndpoint("gateway", "http") };

        var dashboardUrl = await _app.GetDashboardUrlAsync(cancellationToken);
        _dashboard = new HttpClient { BaseAddress = new Uri(dashboardUrl.GetLeftPart(UriPartial.Authority) + "/") };
        if (_app.Services.GetRequiredService<IConfiguration>()["AppHost:DashboardApiKey"] is { Length: > 0 } apiKey)
        {
            _dashboard.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }
        _traces = new DashboardTraceStore(_dashboard);
    }

    public async ValueTask DisposeAsync()
    {
        _gateway?.Dispose();
        _dashboard?.Dispose();
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

        if (Environment.GetEnvironmentVariable("PLATFORM_TESTS_KEEP_DATA") != "1")
        {
            try
            {
                Directory.Delete(DataPath, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A server that is still shutting down may hold a file; the folder is under /tmp.
            }
        }
    }

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
            var reason = exception is OperationCanceledException
                ? $"not healthy within {StartTimeout.TotalMinutes:0} minutes"
                : $"failed to start ({exception.Message})";
            throw new InvalidOperationException(
                $"The platform did not start: {string.Join(", ", pending)} {reason}.{Environment.NewLine}{DescribeLogs(pending)}",
                exception);
        }
    }

    private string DescribeLogs(IEnumerable<string> resourceNames) => string.Join(Environment.NewLine,
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
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static InvalidOperationException NotStarted() => new("The platform has not started.");
}
