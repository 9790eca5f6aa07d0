using System.Net;
using Gateway.Security;
using Gateway.Telemetry;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Platform.ServiceDefaults;

namespace Gateway;

public static class GatewayServiceExtensions
{
    public const string CorsPolicy = "gateway";

    /// <summary>
    /// YARP with routes from configuration and destinations resolved by service discovery, plus what the front door needs:
    /// token validation (<c>AddPlatformAuthentication</c>, the services' own settings), shared rate limits in Redis,
    /// per-route timeouts and body limits, CORS for configured origins, forwarded headers from trusted proxies only, traces
    /// started here whatever the caller sends, and readiness of every downstream service and Redis.
    /// </summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => options.RateLimits.SignIn.Window > TimeSpan.Zero && options.RateLimits.Reset.Window > TimeSpan.Zero
                && options.RateLimits.Api.Window > TimeSpan.Zero, "Gateway:RateLimits windows must be positive.")
            .Validate(options => options.RateLimits.SignIn.PermitLimit > 0 && options.RateLimits.Reset.PermitLimit > 0
                && options.RateLimits.Api.PermitLimit > 0, "Gateway:RateLimits permit limits must be positive.")
            .Validate(options => options.Cors.Origins.All(origin => Uri.TryCreate(origin, UriKind.Absolute, out _)),
                "Gateway:Cors:Origins must be absolute origins such as https://portal.example.nhs.uk.")
            .ValidateOnStart();

        // YARP's forwarder never retries (its HttpClient has no resilience handler), so a POST is sent at most once.
        services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
        services.AddRequestTimeouts();

        builder.AddPlatformAuthentication();
        services.AddGatewayRateLimiting();

        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<GatewayOptions>>((cors, gateway) => cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins(gateway.Value.Cors.Origins)
                .AllowAnyHeader()
                .AllowAnyMethod()
                .WithExposedHeaders(TraceIdHeaderMiddleware.HeaderName, "Retry-After", "Location")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<GatewayOptions>>((forwarded, gateway) =>
            {
                // Only the proxies configured: not loopback by default, where anything on the gateway's host could claim any
                // address. With none configured, forwarded headers are ignored (empty lists would make ASP.NET Core trust everyone).
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                foreach (var proxy in gateway.Value.ForwardedHeaders.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
                foreach (var network in gateway.Value.ForwardedHeaders.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
                forwarded.ForwardedHeaders = forwarded.KnownProxies.Count + forwarded.KnownIPNetworks.Count == 0
                    ? ForwardedHeaders.None
                    : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            });

        services.IgnoreCallerTraceContext();
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Read header values as Latin-1 rather than refuse non-ASCII ones with Kestrel's bare 400: HeaderGuard then
            // answers problem details saying which header, and nothing non-ASCII is ever forwarded.
            kestrel.RequestHeaderEncodingSelector = _ => System.Text.Encoding.Latin1;
        });
        services.AddHealthChecks().AddGatewayHealthChecks(builder.Configuration);
        return builder;
    }
}
