using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

/// <summary>
/// Readiness checks registered in the AppHost for servers it starts itself: a resource is healthy
/// once its server answers a real protocol request, and services that <c>WaitFor</c> it start only then.
/// </summary>
internal static class ReadinessChecks
{
    public static IResourceBuilder<T> WithPostgresReadiness<T>(this IResourceBuilder<T> resource, string connectionString)
        where T : IResource
    {
        var key = Key(resource);
        resource.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(connectionString, name: key);
        return resource.WithHealthCheck(key);
    }

    public static IResourceBuilder<T> WithRabbitMqReadiness<T>(this IResourceBuilder<T> resource, string amqpUri)
        where T : IResource
    {
        var key = Key(resource);
        var factory = new ConnectionFactory { Uri = new Uri(amqpUri), ClientProvidedName = "apphost-readiness" };
        IConnection? connection = null;
        resource.ApplicationBuilder.Services.AddHealthChecks().AddRabbitMQ(
            async _ => connection ??= await factory.CreateConnectionAsync(),
            name: key);
        return resource.WithHealthCheck(key);
    }

    public static IResourceBuilder<T> WithRedisReadiness<T>(this IResourceBuilder<T> resource, string connectionString)
        where T : IResource
    {
        var key = Key(resource);
        resource.ApplicationBuilder.Services.AddHealthChecks().AddRedis(connectionString, name: key);
        return resource.WithHealthCheck(key);
    }

    /// <summary>
    /// smtp4dev's web API answers even when its SMTP server could not start (its port taken, say): ready only once the API
    /// says the SMTP server is running.
    /// </summary>
    public static IResourceBuilder<T> WithSmtp4devReadiness<T>(this IResourceBuilder<T> resource, int webPort)
        where T : IResource
    {
        var key = Key(resource);
        var api = new HttpClient { BaseAddress = new Uri($"http://localhost:{webPort}/"), Timeout = TimeSpan.FromSeconds(5) };
        resource.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(key, async cancellationToken =>
        {
            try
            {
                var server = await api.GetFromJsonAsync<JsonElement>("api/server", cancellationToken);
                return server.TryGetProperty("isRunning", out var running) && running.ValueKind == JsonValueKind.True
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy($"smtp4dev's SMTP server is not running: {(server.TryGetProperty("exception", out var error) ? error.ToString() : "no reason given")}");
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
            {
                return HealthCheckResult.Unhealthy($"smtp4dev's API does not answer: {exception.Message}");
            }
        });
        return resource.WithHealthCheck(key);
    }

    private static string Key<T>(IResourceBuilder<T> resource) where T : IResource => $"{resource.Resource.Name}-ready";
}
