using StackExchange.Redis;

namespace Gateway.Extensions;

/// <summary>
/// The gateway's one Redis connection (<c>ConnectionStrings:redis</c>), opened without failing start-up when Redis is down
/// and reconnecting in the background. Knows whether the shared rate limits are in force, and says so in the log when
/// that changes (per-replica in-memory limits are used meanwhile).
/// </summary>
public sealed partial class RedisLink : IDisposable
{
    public const string ConnectionName = "redis";

    private readonly Lazy<IConnectionMultiplexer?> connection;
    private readonly ILogger<RedisLink> logger;
    private int degraded; // 1 while the in-memory limits are in use

    public RedisLink(IConfiguration configuration, ILogger<RedisLink> logger)
    {
        this.logger = logger;
        var connectionString = configuration.GetConnectionString(ConnectionName);
        connection = new Lazy<IConnectionMultiplexer?>(() => Connect(connectionString), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public bool IsConfigured => Connection is not null;

    /// <summary>The multiplexer, or null when no Redis is configured.</summary>
    public IConnectionMultiplexer? Connection => connection.Value;

    /// <summary>Redis answers: the shared limits can be used.</summary>
    public bool IsAvailable => Connection is { IsConnected: true };

    /// <summary>True while requests are limited per replica because Redis could not be used.</summary>
    public bool IsDegraded => Volatile.Read(ref degraded) == 1;

    public void ReportFailure(Exception? exception)
    {
        if (Interlocked.Exchange(ref degraded, 1) == 0) LogFallback(exception);
    }

    public void ReportSuccess()
    {
        if (Interlocked.Exchange(ref degraded, 0) == 1) LogRestored();
    }

    public void Dispose()
    {
        if (connection.IsValueCreated) connection.Value?.Dispose();
    }

    private IConnectionMultiplexer? Connect(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            LogNotConfigured();
            Interlocked.Exchange(ref degraded, 1);
            return null;
        }

        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false; // start without Redis and keep trying
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 1000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 1000);
        options.ClientName ??= "gateway";
        return ConnectionMultiplexer.Connect(options);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable: rate limits are now per gateway replica (in memory) until it answers again.")]
    private partial void LogFallback(Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis answers again: rate limits are shared by all gateway replicas.")]
    private partial void LogRestored();

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Redis connection string (ConnectionStrings:redis): rate limits are per gateway replica (in memory).")]
    private partial void LogNotConfigured();
}
