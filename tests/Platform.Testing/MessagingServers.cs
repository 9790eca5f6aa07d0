using Xunit;

namespace Platform.Testing;

/// <summary>
/// One PostgreSQL server, one RabbitMQ node and one Redis shared by a test assembly:
/// <c>[assembly: AssemblyFixture(typeof(MessagingServers))]</c>, then take it as a test class constructor parameter.
/// A full run starts them once for every project instead (<see cref="SharedTestServers"/>).
/// Give each test its own database (<see cref="CreateDatabaseAsync"/>) so tests can run in parallel.
/// </summary>
public sealed class MessagingServers : IAsyncLifetime
{
    private PostgresServer? postgres;
    private RabbitMqServer? rabbitMq;
    private RedisServer? redis;

    public PostgresServer Postgres => postgres ?? throw new InvalidOperationException("Not started.");

    public RabbitMqServer RabbitMq => rabbitMq ?? throw new InvalidOperationException("Not started.");

    public RedisServer Redis => redis ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        if (SharedTestServers.FromEnvironment() is { } shared)
        {
            postgres = PostgresServer.Attach(shared.PostgresPort);
            rabbitMq = RabbitMqServer.Attach(shared.RabbitMqPort, shared.RabbitMqData);
            redis = RedisServer.Attach(shared.RedisPort);
            return;
        }

        var startingPostgres = PostgresServer.StartAsync();
        var startingRabbitMq = RabbitMqServer.StartAsync();
        var startingRedis = RedisServer.StartAsync();
        try
        {
            await Task.WhenAll(startingPostgres, startingRabbitMq, startingRedis);
        }
        finally
        {
            // Keep whichever started, so DisposeAsync stops it even when the other failed.
            postgres = startingPostgres.IsCompletedSuccessfully ? startingPostgres.Result : null;
            rabbitMq = startingRabbitMq.IsCompletedSuccessfully ? startingRabbitMq.Result : null;
            redis = startingRedis.IsCompletedSuccessfully ? startingRedis.Result : null;
        }
    }

    /// <summary>Creates a database with a unique name starting with <paramref name="prefix"/> and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();
        await Postgres.CreateDatabaseAsync(name);
        return Postgres.ConnectionString(name);
    }

    /// <summary>
    /// Creates a RabbitMQ virtual host with a unique name starting with <paramref name="prefix"/> and returns its URI: services
    /// in parallel tests sharing queues would take each other's events.
    /// </summary>
    public async Task<Uri> CreateVirtualHostAsync(string prefix = "test")
    {
        var vhost = $"{prefix}-{Guid.NewGuid():N}";
        await RabbitMq.CtlAsync("add_vhost", vhost);
        await RabbitMq.CtlAsync("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        return new Uri(RabbitMq.AmqpUri, vhost);
    }

    public async ValueTask DisposeAsync()
    {
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        if (rabbitMq is not null)
        {
            await rabbitMq.DisposeAsync();
        }

        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
    }
}
