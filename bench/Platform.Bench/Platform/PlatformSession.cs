using System.Collections.Concurrent;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Platform.Bench.Platform;

/// <summary>
/// The whole platform, started through the real AppHost (Aspire.Hosting.Testing, <c>local</c> mode) on free ports with a
/// temporary data folder (<see cref="PlatformUnderTest"/>, the start-up the whole-system tests share), and configured for measuring:
/// the gateway's rate limits are raised so the load is not throttled, access tokens last long enough for a whole run,
/// and (for the load scenarios) the services listen on their own ports instead of behind DCP's development proxies.
/// </summary>
public sealed class PlatformSession : IAsyncDisposable
{
    /// <summary>Settings the benchmark applies to the platform (<c>every</c>: each service, the gateway and the portal), recorded with the results.</summary>
    public static readonly IReadOnlyDictionary<string, string> Overrides = WithExtraOverrides(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Measured as deployed (deploy/k8s sets Production): no developer exception page, production logging and defaults.
        ["every: ASPNETCORE_ENVIRONMENT"] = "Production",
        ["every: DOTNET_ENVIRONMENT"] = "Production",
        ["gateway: Gateway__RateLimits__SignIn__PermitLimit"] = "100000000",
        ["gateway: Gateway__RateLimits__Api__PermitLimit"] = "100000000",
        ["identity: Identity__Server__AccessTokenLifetime"] = "02:00:00",
    });

    /// <summary>
    /// Settings to try without a code change, from <c>BENCH_PLATFORM_ENV</c>: <c>target: NAME=value</c> entries separated by
    /// <c>;</c>, where target is a resource's name or <c>every</c> (for example <c>every: DOTNET_TieredPGO=0</c>).
    /// </summary>
    private static Dictionary<string, string> WithExtraOverrides(Dictionary<string, string> overrides)
    {
        var extra = Environment.GetEnvironmentVariable("BENCH_PLATFORM_ENV") ?? "";
        foreach (var entry in extra.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.IndexOf(':');
            var equals = entry.IndexOf('=');
            if (colon <= 0 || equals < colon)
            {
                throw new ArgumentException($"BENCH_PLATFORM_ENV entry '{entry}' is not 'target: NAME=value'.");
            }

            overrides[$"{entry[..colon].Trim()}: {entry[(colon + 1)..equals].Trim()}"] = entry[(equals + 1)..].Trim();
        }

        return overrides;
    }

    public static readonly string[] Services = ["identity", "submissions", "payments", "notifications", "gateway"];

    /// <summary>Where Notifications sends its emails during a session, recorded with the results.</summary>
    public const string MailRelay = "notifications: Smtp__Host/Smtp__Port = the harness's SMTP sink (accepts and discards; see SmtpSink), not smtp4dev";

    private readonly PlatformUnderTest platform;
    private readonly SmtpSink relay;
    private readonly Dictionary<string, string> assemblies;

    private PlatformSession(PlatformUnderTest platform, SmtpSink relay, Dictionary<string, string> assemblies)
    {
        this.platform = platform;
        this.relay = relay;
        this.assemblies = assemblies;
        Gateway = new Uri(platform.HttpEndpoint("gateway").ToString().TrimEnd('/') + "/");
        Submissions = new Uri(platform.HttpEndpoint("submissions").ToString().TrimEnd('/') + "/");
        HealthyAfterSeconds = platform.HealthyAfter.ToDictionary(p => p.Key, p => Math.Round(p.Value.TotalSeconds, 2), StringComparer.Ordinal);
    }

    public Uri Gateway { get; }

    /// <summary>The Submissions service itself, for the gateway scenario's baseline.</summary>
    public Uri Submissions { get; }

    public string DataPath => platform.DataPath;

    /// <summary>From the call to start the AppHost to every resource healthy.</summary>
    public TimeSpan Startup => platform.StartedIn;

    /// <summary>Seconds from the start until each resource was healthy.</summary>
    public IReadOnlyDictionary<string, double> HealthyAfterSeconds { get; }

    public bool Proxied { get; private init; }

    private DistributedApplication App => platform.App;

    public static async Task<PlatformSession> StartAsync(bool proxied, CancellationToken cancellationToken)
    {
        var platform = new PlatformUnderTest(typeof(Projects.Platform_AppHost), "platform-bench", replicas: 1, dashboard: false, keptLogLines: 100);
        var assemblies = new Dictionary<string, string>(StringComparer.Ordinal);
        var relay = new SmtpSink();
        try
        {
            await platform.StartAsync(TimeSpan.FromMinutes(5), builder =>
            {
                // The AppHost's own log (health probes while servers start and stop) would drown the tables; failures are reported from the resources' logs.
                builder.Services.AddLogging(logging => logging.ClearProviders());
                foreach (var project in builder.Resources.OfType<ProjectResource>())
                {
                    var resource = builder.CreateResourceBuilder(project);
                    assemblies[project.Name] = Path.GetFileNameWithoutExtension(project.GetProjectMetadata().ProjectPath);
                    if (!proxied)
                    {
                        resource.WithEndpointProxySupport(false);
                    }

                    if (project.Name == "notifications")
                    {
                        resource.WithEnvironment("Smtp__Host", "127.0.0.1").WithEnvironment("Smtp__Port", relay.Port.ToString(CultureInfo.InvariantCulture));
                    }

                    foreach (var (key, value) in Overrides)
                    {
                        var (target, name) = (key[..key.IndexOf(':')], key[(key.IndexOf(':') + 2)..]);
                        if (target == project.Name || target == "every")
                        {
                            resource.WithEnvironment(name, value);
                        }
                    }
                }
            }, cancellationToken);
            return new PlatformSession(platform, relay, assemblies) { Proxied = proxied };
        }
        catch
        {
            await StopAsync(platform);
            await relay.DisposeAsync();
            throw;
        }
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
        await App.GetConnectionStringAsync(name, cancellationToken)
        ?? throw new InvalidOperationException($"No connection string for {name}.");

    /// <summary>RSS of each service process now (MiB); a service whose process is not found is left out.</summary>
    public Dictionary<string, double> ResidentMemory() =>
        ResidentMemoryParts().ToDictionary(p => p.Key, p => Math.Round(p.Value.TotalMiB, 1), StringComparer.Ordinal);

    /// <summary>RSS of each service process now and what it is made of; a service whose process is not found is left out.</summary>
    public Dictionary<string, ResidentParts> ResidentMemoryParts()
    {
        var result = new Dictionary<string, ResidentParts>(StringComparer.Ordinal);
        foreach (var service in Services)
        {
            if (App.ResourceNotifications.TryGetCurrentState(service, out var state)
                && state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
                && ServiceMemory.Resident(Convert.ToInt32(value, CultureInfo.InvariantCulture), assemblies[service]) is { } parts)
            {
                result[service] = parts;
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
        foreach (var resource in App.Services.GetRequiredService<DistributedApplicationModel>().Resources)
        {
            if (App.ResourceNotifications.TryGetCurrentState(resource.Name, out var state)
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
        await StopAsync(platform);
        await relay.DisposeAsync();
    }

    private static async Task StopAsync(PlatformUnderTest platform)
    {
        try
        {
            await platform.DisposeAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            Console.Error.WriteLine($"The platform did not stop cleanly: {e.Message}");
        }
    }

    /// <summary>Peak RSS per service while it runs, with what it was made of at that moment.</summary>
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
                    foreach (var (service, parts) in session.ResidentMemoryParts())
                    {
                        Peak.AddOrUpdate(service, parts, (_, seen) => parts.TotalMiB > seen.TotalMiB ? parts : seen);
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

        public ConcurrentDictionary<string, ResidentParts> Peak { get; } = new(StringComparer.Ordinal);

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await sampling;
            stop.Dispose();
        }
    }
}
