using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Gateway.Routing;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Platform.ServiceDefaults;

namespace Gateway.Security;

/// <summary>
/// Rate limits chosen by the route's <c>RateLimit</c> metadata: <c>sign-in</c> and <c>reset</c> per client address and
/// per username (read from the body by <see cref="RequestUsername"/>), <c>api</c> per user (the token's <c>sub</c>).
/// Counters live in Redis so every replica shares them; see <see cref="FallbackRateLimiter"/> for Redis outages.
/// An exceeded limit answers 429 problem details with <c>Retry-After</c>.
/// </summary>
public static class GatewayRateLimiting
{
    public const string SignIn = "sign-in";
    public const string Reset = "reset";
    public const string Api = "api";

    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services)
    {
        services.TryAddSingleton<SharedRedis>();
        services.AddSingleton<RedisLink>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<RedisLink, IOptions<GatewayOptions>>((options, redis, gateway) =>
            {
                var limits = gateway.Value.RateLimits;
                options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                    PartitionedRateLimiter.Create<HttpContext, string>(context => ByAddress(context, limits, redis)),
                    PartitionedRateLimiter.Create<HttpContext, string>(context => ByUsername(context, limits, redis)),
                    PartitionedRateLimiter.Create<HttpContext, string>(context => ByUser(context, limits, redis)));
                options.OnRejected = OnRejectedAsync;
            });
        return services;
    }

    private static RateLimitPartition<string> ByAddress(HttpContext context, RateLimitSettings limits, RedisLink redis)
    {
        var policy = GatewayRoutes.RateLimitPolicy(context);
        if (policy is not (SignIn or Reset)) return RateLimitPartition.GetNoLimiter(string.Empty);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return Partition($"gateway:{policy}:address:{address}", policy == Reset ? limits.ResetPerAddress : limits.SignIn, redis);
    }

    private static RateLimitPartition<string> ByUsername(HttpContext context, RateLimitSettings limits, RedisLink redis)
    {
        var policy = GatewayRoutes.RateLimitPolicy(context);
        var username = RequestUsername.Get(context);
        if (policy is not (SignIn or Reset) || username is null) return RateLimitPartition.GetNoLimiter(string.Empty);
        // Hashed, so Redis holds no usernames or email addresses.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(username.Trim().ToLowerInvariant())))[..32];
        return Partition($"gateway:{policy}:username:{hash}", RuleFor(policy, limits), redis);
    }

    private static RateLimitPartition<string> ByUser(HttpContext context, RateLimitSettings limits, RedisLink redis)
    {
        var subject = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst("sub")?.Value : null;
        if (GatewayRoutes.RateLimitPolicy(context) != Api || subject is null) return RateLimitPartition.GetNoLimiter(string.Empty);
        return Partition($"gateway:api:user:{subject}", limits.Api, redis);
    }

    private static RateLimitRule RuleFor(string policy, RateLimitSettings limits) => policy == Reset ? limits.Reset : limits.SignIn;

    private static RateLimitPartition<string> Partition(string key, RateLimitRule rule, RedisLink redis) =>
        RateLimitPartition.Get(key, partitionKey =>
        {
            var shared = redis.Connection is { } connection ? new SlicedRedisWindowLimiter(partitionKey, rule, connection) : null;
            var local = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = rule.PermitLimit,
                Window = rule.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
            return new FallbackRateLimiter(shared, local, redis);
        });

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var policy = GatewayRoutes.RateLimitPolicy(http);
        var limits = http.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.RateLimits;
        var retryAfter = RetryAfter(context.Lease) ?? (policy == Api ? limits.Api : RuleFor(policy ?? SignIn, limits)).Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var detail = policy switch
        {
            SignIn => $"Too many sign-in attempts from this address or for this user. Try again in {seconds} seconds.",
            Reset => $"Too many password reset attempts from this address or for this account. Try again in {seconds} seconds.",
            _ => $"Too many requests. Try again in {seconds} seconds.",
        };
        await GatewayProblems.WriteAsync(http, StatusCodes.Status429TooManyRequests, "too_many_requests", "Too many requests.", detail,
            new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }

    /// <summary>When the window that refused ends, as both limiters say it.</summary>
    private static TimeSpan? RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : null;
}
