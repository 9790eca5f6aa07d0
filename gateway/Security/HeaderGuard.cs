namespace Gateway.Security;

/// <summary>
/// Refuses a request with a header value outside printable ASCII with 400 <c>invalid_header</c> problem details. The
/// gateway's Kestrel reads such values as Latin-1 (rather than answer a bare 400 itself); the proxy could not send them
/// on to a service, and the caller got a 502 saying the service did not answer: a false alarm for whoever watches the
/// gateway's errors.
/// </summary>
public static class HeaderGuard
{
    public static IApplicationBuilder UseHeaderGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            foreach (var (name, values) in context.Request.Headers)
            {
                if (!values.Any(value => value is not null && value.Any(c => c > '\u007e'))) continue;
                await GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_header", "A header value is not plain ASCII.",
                    $"The {name} header holds a character outside printable ASCII; encode it (for example percent-encoding) or leave it out.");
                return;
            }
            await next(context);
        });
}
