using Gateway.Routing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Security;

/// <summary>
/// Per-route request body limits: the route's <c>MaxRequestBodySize</c>, else <c>Gateway:MaxRequestBodySize</c>. A declared
/// length above it is answered 413 problem details before anything is forwarded; a chunked body is cut off by the server
/// limit set here (and by YARP for routes with their own size), which also ends in a 413 problem.
/// </summary>
public static class RequestBodyLimits
{
    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var route = GatewayRoutes.Route(context);
            if (route is null)
            {
                await next(context);
                return;
            }

            var limit = route.Config.MaxRequestBodySize
                ?? context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxRequestBodySize;
            if (limit >= 0 && context.Request.ContentLength > limit)
            {
                await GatewayProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "payload_too_large",
                    "The request body is too large.", $"This endpoint accepts request bodies of at most {limit} bytes.",
                    new Dictionary<string, object?> { ["maxBytes"] = limit });
                return;
            }

            if (limit >= 0 && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }
            await next(context);
        });
}
