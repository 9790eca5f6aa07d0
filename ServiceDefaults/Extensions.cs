using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Platform service shares: telemetry, health, service discovery,
/// resilient HttpClients and problem details.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>Health checks tagged with this run only for readiness (DB, broker, Redis).</summary>
    public const string ReadyTag = "ready";

    /// <summary>ActivitySource and Meter names the platform's own code uses.</summary>
    public const string PlatformTelemetryName = "Platform";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddPlatformProblemDetails();
        // A property named twice is refused, not read as its last value (the gateway limits by the first name it sees).
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.AllowDuplicateProperties = false);
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

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

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps /health/live (the process answers) and /health/ready (its own database,
    /// broker and cache answer) in every environment, and /metrics for an in-cluster scraper (<see cref="MetricsEndpoint"/>).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag) || check.Tags.Contains("live"),
            ResponseWriter = HealthReportWriter.WriteJson,
        });
        app.MapPlatformMetrics();
        return app;
    }

    private static bool IsHealthRequest(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}
