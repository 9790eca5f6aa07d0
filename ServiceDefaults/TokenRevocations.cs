using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Platform.ServiceDefaults;

/// <summary>
/// Sessions ended early: for each person (token subject) whose earlier tokens must stop working, the session tag their
/// tokens carry from now on (the <c>session</c> claim, derived from their security stamp, which changes whenever their
/// sessions must end); tokens with any other tag, or none, are refused. Comparing tags, not issue times, leaves no
/// second in which an earlier token survives or a new sign-in is refused. Identity adds an entry when a person is
/// disabled or their password is changed, reset or set; every
/// gateway and service replica reads the whole list from Redis each <see cref="PlatformAuthenticationOptions.RevocationPollInterval"/>
/// and checks every authenticated request against its copy in memory, so a revocation is in force everywhere within about
/// a second, across replicas and restarts, at no cost per request. An entry is dropped once every token it could refuse
/// has expired (<see cref="PlatformAuthenticationOptions.RevocationRetention"/>). When Redis cannot be read, the last list
/// read stays in force.
/// </summary>
public sealed partial class TokenRevocations(
    SharedRedis redis, IOptions<PlatformAuthenticationOptions> options, TimeProvider time, ILogger<TokenRevocations> logger)
    : BackgroundService
{
    /// <summary>The Redis hash: field = subject, value = <c>{unix seconds of the revocation}:{the session tag now valid}</c>.</summary>
    public const string RedisKey = "platform:token-revocations";

    /// <summary>How long a revocation keeps trying to reach Redis before the request that asked for it fails (503).</summary>
    public static readonly TimeSpan RevokeWithin = TimeSpan.FromSeconds(10);

    private FrozenDictionary<string, Revocation> revoked = FrozenDictionary<string, Revocation>.Empty;
    private bool unreadable;

    /// <summary>The session tag for a security stamp: a digest, so the stamp itself (key material for other tokens) stays secret.</summary>
    public static string TagOf(string securityStamp) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"session:{securityStamp}")))[..16];

    /// <summary>Whether this token belongs to a session of its holder that has been ended.</summary>
    public bool IsRevoked(ClaimsPrincipal principal) =>
        IsRevoked(principal.FindFirst(AuthenticationDefaults.Claims.Subject)?.Value, principal.FindFirst(AuthenticationDefaults.Claims.Session)?.Value,
            long.TryParse(principal.FindFirst("iat")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var issuedAt)
                ? DateTimeOffset.FromUnixTimeSeconds(issuedAt) : null);

    /// <summary>
    /// Refused: a token with another tag issued no later than the revocation's second. A token issued in a later second
    /// was issued with the stamp then current, so it passes even while this replica has not yet read a newer revocation
    /// (a sign-in straight after a second password change must not be refused for the first one).
    /// </summary>
    public bool IsRevoked(string? subject, string? sessionTag, DateTimeOffset? issuedAt) =>
        subject is not null && Volatile.Read(ref revoked).TryGetValue(subject, out var revocation)
            && !string.Equals(sessionTag, revocation.ValidTag, StringComparison.Ordinal)
            && (issuedAt is not { } issued || issued.ToUnixTimeSeconds() <= revocation.At);

    /// <summary>
    /// Ends every session of <paramref name="subject"/> but those tagged <paramref name="validTag"/> (the new security
    /// stamp's). Throws when Redis cannot record it within <see cref="RevokeWithin"/>.
    /// </summary>
    /// <remarks>
    /// The connection's command timeout is short, so that callers that can do without Redis never wait on it; a revocation
    /// cannot do without, and a Redis (or a process) busy for a moment is not an outage: the commands are idempotent, so
    /// they are sent again until they succeed or the time is up.
    /// </remarks>
    public async Task RevokeAsync(string subject, string validTag, CancellationToken cancellationToken)
    {
        var database = Database() ?? throw new InvalidOperationException("No Redis connection string (ConnectionStrings:redis): sessions cannot be revoked.");
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var deadline = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RecordAsync(database, subject, validTag, now, cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is RedisTimeoutException or RedisConnectionException && deadline.Elapsed < RevokeWithin)
            {
                LogRevocationRetried(subject, attempt, exception.GetType().Name);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * attempt)), cancellationToken);
            }
        }
    }

    private async Task RecordAsync(IDatabase database, string subject, string validTag, long now, CancellationToken cancellationToken)
    {
        await database.HashSetAsync(RedisKey, subject, $"{now}:{validTag}").WaitAsync(cancellationToken);
        // One read both prunes what no token can outlive any more and puts the list in force on this replica at once.
        var entries = (await database.HashGetAllAsync(RedisKey).WaitAsync(cancellationToken))
            .Select(entry => (Subject: entry.Name.ToString(), Revocation: Revocation.Parse(entry.Value))).ToList();
        var oldest = now - (long)options.Value.RevocationRetention.TotalSeconds;
        var stale = entries.Where(entry => entry.Revocation.At < oldest).Select(entry => (RedisValue)entry.Subject).ToArray();
        if (stale.Length > 0) await database.HashDeleteAsync(RedisKey, stale).WaitAsync(cancellationToken);
        Volatile.Write(ref revoked, entries.Where(entry => entry.Revocation.At >= oldest)
            .ToFrozenDictionary(entry => entry.Subject, entry => entry.Revocation, StringComparer.Ordinal));
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Database() is null) LogNotConfigured();
        else await RefreshAsync(cancellationToken); // in force before the first request is served
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Database() is null) return;
        using var timer = new PeriodicTimer(options.Value.RevocationPollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken)) await RefreshAsync(stoppingToken);
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            var entries = await Database()!.HashGetAllAsync(RedisKey).WaitAsync(cancellationToken);
            Volatile.Write(ref revoked, entries.ToFrozenDictionary(entry => entry.Name.ToString(), entry => Revocation.Parse(entry.Value), StringComparer.Ordinal));
            if (unreadable) LogReadable();
            unreadable = false;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            if (!unreadable) LogUnreadable(exception);
            unreadable = true;
        }
    }

    private IDatabase? Database() => redis.Database();

    private readonly record struct Revocation(long At, string ValidTag)
    {
        public static Revocation Parse(RedisValue value)
        {
            var text = value.ToString();
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? new(0, "") : new(long.Parse(text.AsSpan(0, colon), CultureInfo.InvariantCulture), text[(colon + 1)..]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Redis connection string (ConnectionStrings:redis): revoked sessions are not checked.")]
    private partial void LogNotConfigured();

    [LoggerMessage(Level = LogLevel.Error, Message = "Revoked sessions cannot be read from Redis: the last list read stays in force until it answers.")]
    private partial void LogUnreadable(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revoked sessions are read from Redis again.")]
    private partial void LogReadable();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording the revocation of {Subject}'s sessions failed ({Error}, attempt {Attempt}); trying again")]
    private partial void LogRevocationRetried(string subject, int attempt, string error);
}
