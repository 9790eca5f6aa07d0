using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A service's one Redis connection (<c>ConnectionStrings:redis</c>), opened on first use without failing when Redis is
/// down (it keeps trying in the background). <see cref="Connection"/> is null when no Redis is configured.
/// </summary>
public sealed class SharedRedis(IConfiguration configuration) : IDisposable
{
    private readonly Lazy<IConnectionMultiplexer?> connection = new(() => Connect(configuration.GetConnectionString("redis")));

    public IConnectionMultiplexer? Connection => connection.Value;

    public IDatabase? Database() => Connection?.GetDatabase();

    public void Dispose()
    {
        if (connection.IsValueCreated) connection.Value?.Dispose();
    }

    private static IConnectionMultiplexer? Connect(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return null;
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        return ConnectionMultiplexer.Connect(options);
    }
}
