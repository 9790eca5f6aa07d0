using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Platform.ServiceDefaults;

/// <summary>
/// <c>/metrics</c> in Prometheus text format, for a scraper inside the cluster only: it answers callers on loopback or a
/// private network that reach the process directly. A request that came through a proxy or load balancer (it carries
/// forwarding headers) or from a public address gets 404, so the gateway never shows its metrics to the outside.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    private static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "X-Original-For", "Forwarded"];

    public static IEndpointConventionBuilder MapPlatformMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(Path, meterProvider: null, optionsName: null,
            configureBranchedPipeline: pipeline => pipeline.Use((context, next) =>
            {
                if (IsInternalCaller(context)) return next(context);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }));

    public static bool IsInternalCaller(HttpContext context)
    {
        if (ForwardingHeaders.Any(header => context.Request.Headers.ContainsKey(header))) return false;
        return context.Connection.RemoteIpAddress is not { } address || IsInternal(address);
    }

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal;
        }
        var bytes = address.GetAddressBytes();
        return bytes[0] == 10
            || (bytes[0] == 172 && bytes[1] is >= 16 and <= 31)
            || (bytes[0] == 192 && bytes[1] == 168)
            || (bytes[0] == 169 && bytes[1] == 254);
    }
}
