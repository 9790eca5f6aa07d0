using Gateway.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Platform.ServiceDefaults;
using Yarp.ReverseProxy;

namespace Gateway.Telemetry;

/// <summary>
/// Readiness of each downstream service by name (its destinations' <c>/health/ready</c>) and of Redis. A failing downstream
/// or Redis is reported <c>Degraded</c>, not <c>Unhealthy</c>: the gateway still serves everything else (and, without Redis,
/// limits per replica), so it should stay in the load balancer.
/// </summary>
public static class GatewayHealthChecks
{
    public const string HttpClientName = "gateway-health";

    public static IHealthChecksBuilder AddGatewayHealthChecks(this IHealthChecksBuilder checks, IConfiguration configuration)
    {
        foreach (var cluster in configuration.GetSection("ReverseProxy:Clusters").GetChildren())
        {
            var clusterId = cluster.Key;
            checks.Add(new HealthCheckRegistration(clusterId,
                services => ActivatorUtilities.CreateInstance<DownstreamHealthCheck>(services, clusterId),
                HealthStatus.Degraded, [HealthDefaults.ReadyTag]));
        }
        checks.Add(new HealthCheckRegistration("redis", services => services.GetRequiredService<RedisHealthCheck>(),
            HealthStatus.Degraded, [HealthDefaults.ReadyTag]));
        checks.Services.AddSingleton<RedisHealthCheck>();
        // No resilience handler or service discovery here: destinations are already resolved, and a probe must not retry.
        checks.Services.AddSingleton<DownstreamProbe>();
        return checks;
    }
}

/// <summary>The plain HttpClient the readiness probes use.</summary>
public sealed class DownstreamProbe : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });

    public void Dispose() => Client.Dispose();
}

internal sealed class DownstreamHealthCheck(string clusterId, IProxyStateLookup proxy, DownstreamProbe probe, IOptions<GatewayOptions> options)
    : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!proxy.TryGetCluster(clusterId, out var cluster) || cluster.Destinations.IsEmpty)
        {
            return HealthCheckResult.Degraded($"No destinations for '{clusterId}' are known.");
        }

        // The report is public (the load balancer reads it): it says how many destinations answer, never where they are.
        var failures = new List<string>();
        foreach (var destination in cluster.Destinations.Values)
        {
            var address = destination.Model.Config.Health ?? destination.Model.Config.Address;
            var uri = new Uri(new Uri(address.TrimEnd('/') + "/"), HealthDefaults.ReadyPath.TrimStart('/'));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.DownstreamHealthTimeout);
            try
            {
                using var response = await probe.Client.GetAsync(uri, timeout.Token);
                if (response.IsSuccessStatusCode) return HealthCheckResult.Healthy($"'{clusterId}' is ready.");
                failures.Add($"answered {(int)response.StatusCode}");
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                failures.Add($"did not answer ({exception.GetType().Name})");
            }
        }
        return HealthCheckResult.Degraded($"'{clusterId}' is not ready: {failures.Count} of {cluster.Destinations.Count} destinations {string.Join("; ", failures.Distinct())}.");
    }
}

internal sealed class RedisHealthCheck(RedisLink redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (redis.Connection is not { } connection)
        {
            return HealthCheckResult.Degraded("Redis is not configured: rate limits are per gateway replica.");
        }
        try
        {
            if (connection.IsConnected)
            {
                var latency = await connection.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy($"Shared rate limits in Redis (ping {latency.TotalMilliseconds:0.#} ms).");
            }
        }
        catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded("Redis is unreachable: rate limits are per gateway replica until it answers.", exception);
        }
        return HealthCheckResult.Degraded("Redis is unreachable: rate limits are per gateway replica until it answers.");
    }
}
