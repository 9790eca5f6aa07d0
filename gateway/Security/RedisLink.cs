using Platform.ServiceDefaults;
using StackExchange.Redis;

namespace Gateway.Security;

/// <summary>
/// The rate limits' view of the process's one Redis connection (<see cref="SharedRedis"/>, also used for ended sessions):
/// knows whether the shared limits are in force, and says so in the log when that changes (per-replica in-memory limits
/// are used meanwhile).
/// </summary>
public sealed partial class RedisLink(SharedRedis redis, ILogger<RedisLink> logger)
{
    private int degraded; // 1 while the in-memory limits are in use

    public bool IsConfigured => Connection is not null;

    /// <summary>The multiplexer, or null when no Redis is configured.</summary>
    public IConnectionMultiplexer? Connection
    {
        get
        {
            var connection = redis.Connection;
            if (connection is null && Interlocked.Exchange(ref degraded, 1) == 0) LogNotConfigured();
            return connection;
        }
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable: rate limits are now per gateway replica (in memory) until it answers again.")]
    private partial void LogFallback(Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis answers again: rate limits are shared by all gateway replicas.")]
    private partial void LogRestored();

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Redis connection string (ConnectionStrings:redis): rate limits are per gateway replica (in memory).")]
    private partial void LogNotConfigured();
}
