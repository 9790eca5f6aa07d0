using StackExchange.Redis;

namespace Platform.ServiceDefaults;

/// <summary>
/// A lock in Redis (SET NX with an expiry, so a replica that dies holding it frees it). Taking it keeps trying while
/// another replica holds it or Redis cannot be reached, for at most <see cref="WaitAtMost"/>.
/// </summary>
public sealed class RedisReplicaLock(SharedRedis redis, RedisKey key) : IReplicaLock
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan WaitAtMost = TimeSpan.FromMinutes(1);

    public IDisposable Take()
    {
        var database = redis.Database() ?? throw new InvalidOperationException("A Redis lock needs ConnectionStrings:redis.");
        var token = Guid.NewGuid().ToString();
        var giveUpAt = DateTime.UtcNow + WaitAtMost;
        while (true)
        {
            try
            {
                if (database.LockTake(key, token, Expiry)) return new Held(database, key, token);
            }
            catch (RedisException) when (DateTime.UtcNow < giveUpAt)
            {
                // Redis is starting or briefly away: try again.
            }

            if (DateTime.UtcNow >= giveUpAt) throw new TimeoutException($"The Redis lock {key} was not free within {WaitAtMost}.");
            Thread.Sleep(RetryDelay);
        }
    }

    private sealed class Held(IDatabase database, RedisKey key, string token) : IDisposable
    {
        public void Dispose() => database.LockRelease(key, token);
    }
}
