using System.Diagnostics;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Gateway.Security;

/// <summary>
/// A fixed window counted in Redis and shared by every replica, which each replica takes in slices: one round trip reserves
/// <see cref="Slice"/> permits, handed out from memory until they run out or the window ends. A request on the API then
/// costs a Redis round trip once in <see cref="Slice"/> requests instead of every time. The window starts at its first
/// request, as a Redis key that expires at its end. Once Redis has said the window is used up, this replica refuses until
/// the window ends without asking again.
/// </summary>
/// <remarks>
/// Permits a replica reserved and did not use are lost to the window: with R replicas a user may be refused up to
/// (R - 1) x (<see cref="Slice"/> - 1) requests early. Limits under 200 have a slice of one, so the sign-in and reset
/// limits stay exact across replicas.
/// </remarks>
internal sealed class SlicedRedisWindowLimiter(string key, RateLimitRule rule, IConnectionMultiplexer redis) : RateLimiter
{
    // KEYS[1] the window's counter; ARGV[1] permits to reserve; ARGV[2] the window in ms. Returns the count after the
    // reservation and the ms left in the window.
    private const string ReserveScript = """
        local count = redis.call('INCRBY', KEYS[1], ARGV[1])
        local left = redis.call('PTTL', KEYS[1])
        if left < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          left = tonumber(ARGV[2])
        end
        return { count, left }
        """;

    private readonly RedisKey redisKey = key;
    private readonly SemaphoreSlim reserving = new(1, 1);
    private readonly Lock gate = new();
    private long windowEnds; // Stopwatch timestamp; 0 before the first reservation
    private int reserved; // permits this replica holds for the window ending at windowEnds
    private bool usedUp; // Redis said the window's permits are all taken
    private long idleSince = Stopwatch.GetTimestamp();

    /// <summary>A hundredth of the limit, between 1 and 10 permits.</summary>
    public int Slice { get; } = Math.Clamp(rule.PermitLimit / 100, 1, 10);

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (gate) return reserved == 0 ? Stopwatch.GetElapsedTime(idleSince) : null;
        }
    }

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => TryTake(permitCount) ?? Lease.NotYet;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (TryTake(permitCount) is { } lease) return lease;
        await reserving.WaitAsync(cancellationToken);
        try
        {
            // Another request may have reserved while this one waited.
            if (TryTake(permitCount) is { } reservedMeanwhile) return reservedMeanwhile;
            return await ReserveAsync(Math.Max(Slice, permitCount), permitCount);
        }
        finally
        {
            reserving.Release();
        }
    }

    /// <summary>A lease from what this replica holds, a refusal when the window is used up, or null when Redis must be asked.</summary>
    private RateLimitLease? TryTake(int permitCount)
    {
        lock (gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (windowEnds == 0 || now >= windowEnds)
            {
                return null;
            }
            if (reserved >= permitCount)
            {
                reserved -= permitCount;
                if (reserved == 0) idleSince = now;
                return Lease.Acquired;
            }
            return usedUp ? Lease.Refused(Stopwatch.GetElapsedTime(now, windowEnds)) : null;
        }
    }

    /// <summary>
    /// Reserves a slice in Redis and takes this request's permits from it at once: Redis counted them in the window it
    /// answered for, even when that window ends before this request is handed its lease (taking them through
    /// <see cref="TryTake"/> refused a request under the limit whenever its slice came at the end of a window).
    /// </summary>
    private async Task<RateLimitLease> ReserveAsync(int permits, int permitCount)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ReserveScript, [redisKey],
            [permits, (long)rule.Window.TotalMilliseconds]))!;
        var count = (long)result[0];
        var left = TimeSpan.FromMilliseconds((long)result[1]);
        var granted = (int)Math.Clamp(rule.PermitLimit - (count - permits), 0, permits);
        lock (gate)
        {
            var now = Stopwatch.GetTimestamp();
            var sameWindow = windowEnds != 0 && now < windowEnds;
            windowEnds = now + (long)(left.TotalSeconds * Stopwatch.Frequency);
            reserved = (sameWindow ? reserved : 0) + granted;
            usedUp = granted < permits;
            if (reserved < permitCount) return Lease.Refused(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            reserved -= permitCount;
            if (reserved == 0) idleSince = now;
            return Lease.Acquired;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) reserving.Dispose();
        base.Dispose(disposing);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);

        // The partitioned limiter tries without waiting first, then awaits AcquireAsync.
        public static readonly Lease NotYet = new(false, null);

        public static Lease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
