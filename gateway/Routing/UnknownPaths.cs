namespace Gateway.Routing;

/// <summary>
/// Every path the gateway does not route to a service goes to the practice portal (its catch-all route), except under
/// <c>/api</c> and <c>/openapi</c>: an unknown API path answers 404 problem details, never a web page.
/// </summary>
public static class UnknownPaths
{
    public static WebApplication MapUnknownApiPaths(this WebApplication app)
    {
        foreach (var prefix in new[] { "/api", "/openapi" })
        {
            app.Map($"{prefix}/{{**rest}}", (HttpContext context) => GatewayProblems.WriteAsync(context, StatusCodes.Status404NotFound, "not_found",
                "Not found.", "No API answers at this path.", null)).AllowAnonymous().ExcludeFromDescription();
        }
        return app;
    }
}
