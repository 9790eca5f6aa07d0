using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Platform.ServiceDefaults;

// The entry points stay where the Aspire template puts them, so every Program.cs finds them without a using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Platform service shares: telemetry, health, service discovery,
/// resilient HttpClients and problem details.
/// </summary>
public static class ServiceDefaultsExtensions
{
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

    /// <summary>
    /// Maps /health/live (the process answers) and /health/ready (its own database,
    /// broker and cache answer) in every environment, and /metrics for an in-cluster scraper (<see cref="MetricsEndpoint"/>).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthDefaults.LivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(HealthDefaults.LiveTag) });
        app.MapHealthChecks(HealthDefaults.ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthDefaults.ReadyTag) || check.Tags.Contains(HealthDefaults.LiveTag),
            ResponseWriter = HealthReportWriter.WriteJson,
        });
        app.MapPlatformMetrics();
        return app;
    }
}
