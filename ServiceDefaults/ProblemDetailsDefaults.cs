using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.ServiceDefaults;

/// <summary>
/// Every error a service answers is an RFC 9457 problem details body with a stable
/// <c>code</c> and the trace id, never a stack trace.
/// </summary>
public static class ProblemDetailsDefaults
{
    public static IServiceCollection AddPlatformProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (context.Exception is BadHttpRequestException badRequest)
            {
                // The framework's own wording about which parameter could not be read: safe to show, and useful.
                problem.Detail = badRequest.Message;
                problem.Extensions.TryAdd("code", "malformed_request");
            }
            problem.Extensions.TryAdd("code", CodeFor(problem.Status ?? context.HttpContext.Response.StatusCode));
            // The framework adds a W3C traceparent here; clients and X-Trace-Id use the bare 32-hex trace id.
            problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            problem.Extensions.Remove("exception");
        });

    /// <summary>Unhandled exceptions and bare status codes (404, 405, 415...) become problem details.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A body that cannot be read is the client's mistake (400, 413...), not ours (500).
            // Redis out of reach (a revocation that could not be recorded, say) is an outage to retry, not our bug.
            StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException badRequest => badRequest.StatusCode,
                StackExchange.Redis.RedisException or StackExchange.Redis.RedisTimeoutException => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        return app;
    }

    public static string CodeFor(int status) => status switch
    {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        429 => "too_many_requests",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        >= 500 => "internal_error",
        _ => "error",
    };
}
