namespace Identity.Api.Apis;

/// <summary>Responses that carry a secret (a new client secret) are never kept by a browser's or a proxy's cache.</summary>
public static class NoStore
{
    public static RouteHandlerBuilder WithNoStore(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(context);
        });
}
