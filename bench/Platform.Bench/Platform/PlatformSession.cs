using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Bench.Platform;

/// <summary>
/// The whole platform, started through the real AppHost (Aspire.Hosting.Testing, <c>local</c> mode) on free ports with a
/// temporary data folder, as tests/Platform.Tests does, and configured for measuring:
/// the gateway's rate limits are raised so the load is not throttled, access tokens last long enough for a whole run,
/// and (for the load scenarios) the services listen on their own ports instead of behind DCP's development proxies.
/// </summary>
public sealed class PlatformSession : IAsyncDisposable
{
    /// <summary>Settings the benchmark applies to the platform, recorded with the results.</summary>
    public static readonly IReadOnlyDictionary<string, string> Overrides = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["gateway: Gateway__RateLimits__SignIn__PermitLimit"] = "100000000",
        ["gateway: Gateway__RateLimits__Api__PermitLimit"] = "100000000",
        ["identity: Identity__Server__AccessTokenLifetime"] = "02:00:00",
    };

    public static readonly string[] Services = ["identity", "submissions", "payments", "notifications", "gateway"];

    private readonly DistributedApplication app;
    private readonly Dictionary<string, string> assemblies;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> logs = new(StringComparer.Ordinal);

    private PlatformSession(DistributedApplication app, string dataPath, Dictionary<string, string> assemblies, TimeSpan startup, IReadOnlyDictionary<string, double> healthyAfter)
    {
        this.app = app;
        this.assemblies = assemblies;
        DataPath = dataPath;
        Startup = startup;
        HealthyAfterSeconds = healthyAfter;
        Gateway = new Uri(app.GetEndpoint("gateway", "http").ToString().TrimEnd('/') + "/");
        Submissions = new Uri(app.GetEndpoint("submissions", "http").ToString().TrimEnd('/') + "/");
    }

    public Uri Gateway { get; }

    /// <summary>The Submissions service itself, for the gateway scenario's baseline.</summary>
    public Uri Submissions { get; }

    public string DataPath { get; }

    /// <summary>From the call to start the AppHost to every resource healthy.</summary>
    public TimeSpan Startup { get; }

    /// <summary>Seconds from the start until each resource was healthy.</summary>
    public IReadOnlyDictionary<string, double> HealthyAfterSeconds { get; }

    public bool Proxied { get; private init; }

    public static async Task<PlatformSession> StartAsync(bool proxied, string repositoryRoot, CancellationToken cancellationToken)
    {
        var ports = global::Platform.Testing.LocalPorts.Pick();
        var dataPath = Path.Combine(Path.GetTempPath(), $"platform-bench-{Guid.NewGuid():N}");
        string[] args =
        [
            "--Infrastructure:Mode=local",
            $"--LocalInfrastructure:DataPath={dataPath}",
            $"--LocalInfrastructure:PostgresPort={ports.Postgres}",
            $"--LocalInfrastructure:RabbitMqPort={ports.RabbitMq}",
            $"--LocalInfrastructure:RedisPort={ports.Redis}",
            $"--LocalInfrastructure:SmtpPort={ports.Smtp}",
            $"--LocalInfrastructure:SmtpWebPort={ports.SmtpWeb}",
            $"--Gateway:Port={ports.Gateway}",
        ];

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        var clock = Stopwatch.StartNew();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Platform_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = false }, args, timeout.Token);

        // The AppHost's own log (health probes while servers start and stop) would drown the tables; failures are reported from the resources' logs.
        builder.Services.AddLogging(logging => logging.ClearProviders());
        var assemblies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var resource = builder.CreateResourceBuilder(project);
            assemblies[project.Name] = Path.GetFileNameWithoutExtension(project.GetProjectMetadata().ProjectPath);
            if (!proxied)
            {
                resource.WithEndpointProxySupport(false);
            }

            foreach (var (key, value) in Overrides)
            {
                var (target, name) = (key[..key.IndexOf(':')], key[(key.IndexOf(':') + 2)..]);
                if (target == project.Name)
                {
                    resource.WithEnvironment(name, value);
                }
            }
        }

        var app = await builder.BuildAsync(timeout.Token);
        var session = (PlatformSession?)null;
        var logs = new ConcurrentDictionary<string, ConcurrentQueue<string>>(StringComparer.Ordinal);
        using var logStop = new CancellationTokenSource();
        try
        {
            var model = app.Services.GetRequiredService<DistributedApplicationModel>();
            var loggers = app.Services.GetRequiredService<ResourceLoggerService>();
            foreach (var resource in model.Resources)
            {
                _ = KeepRecentLogsAsync(loggers, resource, logs, logStop.Token);
            }

            // Watched from before the start, so each resource's own moment is recorded (StartAsync returns once all are running).
            var names = model.Resources
                .Where(r => r is not ParameterResource && !r.Annotations.OfType<ExplicitStartupAnnotation>().Any())
                .Select(r => r.Name)
                .ToList();
            var healthy = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
            var waits = names.Select(async name =>
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
                healthy[name] = Math.Round(clock.Elapsed.TotalSeconds, 2);
            }).ToList();
            try
            {
                await app.StartAsync(timeout.Token);
                await Task.WhenAll(waits);
            }
            catch (Exception e)
            {
                var pending = names.Where(n => !healthy.ContainsKey(n)).ToList();
                var tails = string.Join("\n", pending.Select(n =>
                    $"--- {n} ({StateOf(app, n)}) ---\n{string.Join("\n", (logs.GetValueOrDefault(n) ?? new()).TakeLast(25))}"));
                throw new InvalidOperationException($"The platform did not start: {string.Join(", ", pending)} not healthy ({e.Message}).\n{tails}", e);
            }

            session = new PlatformSession(app, dataPath, assemblies, clock.Elapsed, healthy) { Proxied = proxied };
            return session;
        }
        finally
        {
            await logStop.CancelAsync();
            if (session is null)
            {
                await StopAsync(app, dataPath);
            }
        }
    }

    /// <summary>What the AppHost knows of a resource that did not become healthy: its state, process, exit code and health reports.</summary>
    private static string StateOf(DistributedApplication app, string name)
    {
        if (!app.ResourceNotifications.TryGetCurrentState(name, out var current))
        {
            return "no state reported";
        }

        var snapshot = current.Snapshot;
        var pid = snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
        var health = string.Join("; ", snapshot.HealthReports.Select(r => $"{r.Name}: {r.Status?.ToString() ?? "not yet checked"} {r.Description ?? r.ExceptionText}".TrimEnd()));
        return $"state {snapshot.State?.Text ?? "none"}, pid {pid ?? "none"}, exit code {snapshot.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}, health [{health}]";
    }

    public HttpClient CreateClient(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async Task<string> ConnectionStringAsync(string name, CancellationToken cancellationToken) =>
        await app.GetConnectionStringAsync(name, cancellationToken)
        ?? throw new InvalidOperationException($"No connection string for {name}.");

    /// <summary>RSS of each service process now (MiB); a service whose process is not found is left out.</summary>
    public Dictionary<string, double> ResidentMemory()
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var service in Services)
        {
            if (app.ResourceNotifications.TryGetCurrentState(service, out var state)
                && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
                && ServiceMemory.ResidentMiB(Convert.ToInt32(value, CultureInfo.InvariantCulture), assemblies[service]) is { } mib)
            {
                result[service] = Math.Round(mib, 1);
            }
        }

        return result;
    }

    /// <summary>
    /// CPU seconds used so far by each resource's process tree (services, and the servers: postgres, messaging, redis, smtp4dev).
    /// Differences over a load divided by the work done give CPU per operation, which other work on a shared machine
    /// disturbs far less than it disturbs wall-clock times.
    /// </summary>
    public Dictionary<string, double> CpuSeconds()
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var resource in app.Services.GetRequiredService<DistributedApplicationModel>().Resources)
        {
            if (app.ResourceNotifications.TryGetCurrentState(resource.Name, out var state)
                && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value)
            {
                result[resource.Name] = global::Platform.Bench.Harness.CpuShare.TreeSeconds(Convert.ToInt32(value, CultureInfo.InvariantCulture));
            }
        }

        return result;
    }

    /// <summary>Per resource, the CPU milliseconds used between two <see cref="CpuSeconds"/> readings, per operation.</summary>
    public static Dictionary<string, double> CpuMillisecondsPer(Dictionary<string, double> before, Dictionary<string, double> after, double operations) =>
        after.Where(pair => before.ContainsKey(pair.Key))
            .ToDictionary(pair => pair.Key, pair => operations > 0 ? (pair.Value - before[pair.Key]) * 1000 / operations : double.NaN, StringComparer.Ordinal);

    /// <summary>Samples every service's RSS twice a second until disposed; <see cref="MemoryWatch.Peak"/> holds the highest seen.</summary>
    public MemoryWatch WatchMemory() => new(this);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await StopAsync(app, DataPath);
        stopping.Dispose();
    }

    private static async Task StopAsync(DistributedApplication app, string dataPath)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await app.StopAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            Console.Error.WriteLine($"The platform did not stop cleanly: {e.Message}");
        }
        finally
        {
            await app.DisposeAsync();
        }

        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A server still shutting down may hold a file; the folder is under /tmp.
        }
    }

    private static async Task KeepRecentLogsAsync(ResourceLoggerService loggers, IResource resource,
        ConcurrentDictionary<string, ConcurrentQueue<string>> logs, CancellationToken cancellationToken)
    {
        var lines = logs.GetOrAdd(resource.Name, _ => new ConcurrentQueue<string>());
        try
        {
            await foreach (var batch in loggers.WatchAsync(resource).WithCancellation(cancellationToken))
            {
                foreach (var line in batch)
                {
                    lines.Enqueue(line.Content);
                    while (lines.Count > 100 && lines.TryDequeue(out _))
                    {
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Peak RSS per service while it runs.</summary>
    public sealed class MemoryWatch : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task sampling;

        internal MemoryWatch(PlatformSession session)
        {
            sampling = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var (service, mib) in session.ResidentMemory())
                    {
                        Peak[service] = Math.Max(Peak.GetValueOrDefault(service), mib);
                    }

                    try
                    {
                        await Task.Delay(500, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            });
        }

        public ConcurrentDictionary<string, double> Peak { get; } = new(StringComparer.Ordinal);

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await sampling;
            stop.Dispose();
        }
    }
}
