using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Gateway.Security;

/// <summary>
/// One partition's limit: held in Redis (shared by all replicas) while Redis answers, otherwise by an in-memory
/// fixed window on this replica, so the API keeps working, still limited, when Redis is down.
/// </summary>
internal sealed class FallbackRateLimiter(RateLimiter? shared, RateLimiter local, RedisLink redis) : RateLimiter
{
    // Idle only when neither holds anything: the partition (and the permits reserved in Redis) is dropped when idle.
    public override TimeSpan? IdleDuration => shared is null ? local.IdleDuration
        : shared.IdleDuration is { } sharedIdle && local.IdleDuration is { } localIdle ? TimeSpan.FromTicks(Math.Min(sharedIdle.Ticks, localIdle.Ticks)) : null;

    public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

    // The rate-limiting middleware tries this first and then awaits AcquireAsync; Redis is only reached asynchronously.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => NotYet.Instance;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (shared is not null && redis.IsAvailable)
        {
            try
            {
                var lease = await shared.AcquireAsync(permitCount, cancellationToken);
                redis.ReportSuccess();
                return lease;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
            {
                redis.ReportFailure(exception);
            }
        }
        else
        {
            redis.ReportFailure(null);
        }
        return await local.AcquireAsync(permitCount, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            shared?.Dispose();
            local.Dispose();
        }
        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        if (shared is not null) await shared.DisposeAsync();
        await local.DisposeAsync();
    }

    private sealed class NotYet : RateLimitLease
    {
        public static readonly NotYet Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
