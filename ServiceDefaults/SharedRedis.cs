using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Platform.ServiceDefaults;

/// <summary>
/// A service's one Redis connection (<c>ConnectionStrings:redis</c>), opened on first use without failing when Redis is
/// down (it keeps trying in the background). <see cref="Connection"/> is null when no Redis is configured.
/// </summary>
public sealed class SharedRedis(IConfiguration configuration) : IDisposable
{
    private readonly Lazy<IConnectionMultiplexer?> connection = new(() => Connect(configuration.GetConnectionString("redis")));

    public IConnectionMultiplexer? Connection => connection.Value;

    public IDatabase? Database() => Connection?.GetDatabase();

    /// <summary>Redis answers now: a caller that can do without it should not wait for a command to time out.</summary>
    public bool IsConnected => Connection is { IsConnected: true };

    public void Dispose()
    {
        if (connection.IsValueCreated) connection.Value?.Dispose();
    }

    private static IConnectionMultiplexer? Connect(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return null;
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false; // start without Redis and keep trying
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 1000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 1000);
        return ConnectionMultiplexer.Connect(options);
    }
}
