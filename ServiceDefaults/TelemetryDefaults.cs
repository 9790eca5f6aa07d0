using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Platform.ServiceDefaults;

/// <summary>Logs, metrics and traces over OpenTelemetry, with query strings redacted and health probes left out.</summary>
public static class TelemetryDefaults
{
    /// <summary>ActivitySource and Meter names the platform's own code uses.</summary>
    public const string PlatformTelemetryName = "Platform";

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        // Console lines (with Logging:Console:FormatterName=json and IncludeScopes) carry the trace and span too, as OTLP logs do.
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(PlatformTelemetryName, "MassTransit")
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .SetSampler(NoBareClientTraces.ParentBased())
                .AddSource(builder.Environment.ApplicationName, PlatformTelemetryName, "MassTransit")
                .AddAspNetCoreInstrumentation(asp =>
                {
                    asp.Filter = context => !IsHealthRequest(context.Request.Path);
                    // Query strings carry reset and invitation tokens and email addresses: values never reach a span.
                    asp.EnrichWithHttpRequest = (activity, request) =>
                    {
                        if (request.QueryString.HasValue) activity.SetTag("url.query", Redact.Query(request.QueryString.Value));
                    };
                })
                .AddHttpClientInstrumentation(http => http.EnrichWithHttpRequestMessage = (activity, request) =>
                {
                    if (request.RequestUri is { Query.Length: > 0 } uri) activity.SetTag("url.full", Redact.Url(uri));
                })
                .AddNpgsql());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    private static bool IsHealthRequest(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(MetricsEndpoint.Path);
}
