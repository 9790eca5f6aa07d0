using Platform.Testing;

namespace Gateway.Tests;

/// <summary>One real Redis and one stand-in downstream for the whole test run.</summary>
public sealed class GatewayServers : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public Downstream Downstream { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Downstream = await Downstream.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Downstream is not null) await Downstream.DisposeAsync();
        if (Redis is not null) await Redis.DisposeAsync();
    }
}
