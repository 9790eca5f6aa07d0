using Yarp.ReverseProxy.Model;

namespace Gateway.Routing;

/// <summary>
/// What the gateway reads from a YARP route's configuration: its <c>Metadata</c> (<c>RateLimit</c>: sign-in, reset or api;
/// <c>UsernameField</c>: the body field naming the account) and its <c>MaxRequestBodySize</c>.
/// </summary>
public static class GatewayRoutes
{
    public const string RateLimitKey = "RateLimit";
    public const string UsernameFieldKey = "UsernameField";

    public static RouteModel? Route(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>();

    public static string? RateLimitPolicy(HttpContext context) => Metadata(context, RateLimitKey);

    public static string? UsernameField(HttpContext context) => Metadata(context, UsernameFieldKey);

    public static string? ClusterId(HttpContext context) => Route(context)?.Config.ClusterId;

    private static string? Metadata(HttpContext context, string key) =>
        Route(context)?.Config.Metadata is { } metadata && metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
