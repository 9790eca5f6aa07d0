using System.Diagnostics;

namespace Gateway.Telemetry;

/// <summary>Every response carries <c>X-Trace-Id</c>, so a practice can quote it and an SRE can find the trace.</summary>
public static class TraceIdHeaderMiddleware
{
    public const string HeaderName = "X-Trace-Id";

    public static IApplicationBuilder UseTraceIdHeader(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var traceId = Activity.Current?.TraceId.ToString();
                if (traceId is not null) context.Response.Headers[HeaderName] = traceId;
                return Task.CompletedTask;
            });
            return next(context);
        });
}
