using Gateway.Routing;
using Gateway.Security;
using Gateway.Telemetry;
using Platform.ServiceDefaults;
using Scalar.AspNetCore;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway;

public static class GatewayPipeline
{
    /// <summary>
    /// The front door's middleware, in order: forwarded headers (trusted proxies only), trace id and security headers on
    /// every response, problem details for every error, header values the services can be sent, CORS, token validation, body limits, rate limits, route timeouts.
    /// </summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseTraceIdHeader();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseServiceDefaults();
        app.UseHeaderGuard();
        app.UseRouting();
        app.UseCors(GatewayServiceExtensions.CorsPolicy);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRequestBodyLimits();
        app.UseRequestUsername();
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        return app;
    }

    /// <summary>The proxy, with 502/503/504 (and body errors) from YARP answered as problem details.</summary>
    public static WebApplication MapGatewayProxy(this WebApplication app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(async (context, next) =>
            {
                await next();
                if (context.GetForwarderErrorFeature() is { } error && !context.Response.HasStarted)
                {
                    await WriteForwarderProblemAsync(context, error);
                }
            });
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }

    /// <summary>The Scalar reference UI at <c>/docs</c> (assets served from the package, so it works offline) over every service's document.</summary>
    public static WebApplication MapGatewayDocs(this WebApplication app)
    {
        // The services that publish an OpenAPI document (the portal, a web app, has none).
        var services = app.Configuration.GetSection("ReverseProxy:Routes").GetChildren()
            .Where(route => route.Key.StartsWith("openapi-", StringComparison.Ordinal)).Select(route => route["ClusterId"]!).ToArray();
        app.MapScalarApiReference("/docs", options =>
        {
            options.WithTitle("Platform API");
            foreach (var service in services) options.AddDocument(service, $"{char.ToUpperInvariant(service[0])}{service[1..]}", $"/openapi/{service}.json");
        }).AllowAnonymous();
        return app;
    }

    private static Task WriteForwarderProblemAsync(HttpContext context, IForwarderErrorFeature error)
    {
        var service = GatewayRoutes.ClusterId(context) ?? "downstream";
        var extensions = new Dictionary<string, object?> { ["service"] = service };
        if (error.Exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return GatewayProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "payload_too_large",
                "The request body is too large.", "The request body exceeds this endpoint's limit.", extensions);
        }
        if (context.Features.Get<Microsoft.AspNetCore.Http.Timeouts.IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true)
        {
            return GatewayProblems.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "gateway_timeout", "The service did not answer in time.",
                $"The {service} service did not answer within this route's timeout.", extensions);
        }
        return error.Error switch
        {
            ForwarderError.NoAvailableDestinations => GatewayProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                "service_unavailable", "The service is unavailable.", $"No instance of the {service} service is available. Try again shortly.", extensions),
            ForwarderError.RequestTimedOut => GatewayProblems.WriteAsync(context, StatusCodes.Status504GatewayTimeout,
                "gateway_timeout", "The service did not answer in time.", $"The {service} service did not answer within this route's timeout.", extensions),
            ForwarderError.RequestCanceled => Task.CompletedTask, // the client went away
            ForwarderError.RequestBodyClient => GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest,
                "bad_request", "The request body could not be read.", "The request body ended early or was malformed.", extensions),
            _ when context.Response.StatusCode == StatusCodes.Status504GatewayTimeout => GatewayProblems.WriteAsync(context,
                StatusCodes.Status504GatewayTimeout, "gateway_timeout", "The service did not answer in time.",
                $"The {service} service did not answer in time.", extensions),
            _ => GatewayProblems.WriteAsync(context, StatusCodes.Status502BadGateway, "bad_gateway", "The service could not be reached.",
                $"The gateway could not get an answer from the {service} service.", extensions),
        };
    }
}
