using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Platform.ServiceDefaults;
using StackExchange.Redis;

namespace Identity.Api.Application;

/// <summary>
/// Failed sign-ins for a name that has no account lock it as they would lock a real one (the same number of failures,
/// the same <c>account_locked</c> answer and duration), so a lockout does not tell which accounts exist. Counted in
/// Redis (shared by every replica) under a digest of the name; when Redis cannot be reached the answer stays
/// <c>invalid_credentials</c>.
/// </summary>
public sealed partial class UnknownAccountLockout(SharedRedis redis, IOptions<CredentialOptions> options, TimeProvider time, ILogger<UnknownAccountLockout> logger)
{
    // KEYS: failures, locked-until. ARGV: max failures, locked-until (unix s), lock seconds, failure memory seconds.
    // Returns the locked-until time when the name is (or is now) locked, else -1.
    private static readonly LuaScript Script = LuaScript.Prepare("""
        local locked = redis.call('GET', @locked)
        if locked then return tonumber(locked) end
        local failures = redis.call('INCR', @failures)
        redis.call('EXPIRE', @failures, @remember)
        if failures >= tonumber(@max) then
            redis.call('SET', @locked, @until, 'EX', @duration)
            redis.call('DEL', @failures)
            return tonumber(@until)
        end
        return -1
        """);

    /// <summary>Counts a failure for an unknown name; returns until when it is locked, or null.</summary>
    public async Task<DateTimeOffset?> FailedAsync(string name, CancellationToken cancellationToken)
    {
        // Without Redis the answer stays invalid_credentials at once: a sign-in must not wait for a command to time out.
        if (!redis.IsConnected || redis.Database() is not { } database) return null;
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name.Trim().ToUpperInvariant())))[..32];
        var duration = options.Value.LockoutDuration;
        var until = time.GetUtcNow() + duration;
        try
        {
            var result = (long)await database.ScriptEvaluateAsync(Script, new
            {
                failures = (RedisKey)$"identity:unknown-account:{key}:failures",
                locked = (RedisKey)$"identity:unknown-account:{key}:locked",
                max = options.Value.MaxFailedSignIns,
                until = until.ToUnixTimeSeconds(),
                duration = (long)Math.Ceiling(duration.TotalSeconds),
                remember = (long)TimeSpan.FromDays(1).TotalSeconds,
            }).WaitAsync(cancellationToken);
            return result < 0 ? null : DateTimeOffset.FromUnixTimeSeconds(result);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogUnavailable(exception);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed sign-ins for unknown names cannot be counted in Redis; they answer invalid_credentials meanwhile.")]
    private partial void LogUnavailable(Exception exception);
}
