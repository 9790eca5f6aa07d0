using Microsoft.Extensions.DependencyInjection;
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

    private static string Key<T>(IResourceBuilder<T> resource) where T : IResource => $"{resource.Resource.Name}-ready";
}
