using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Platform.ServiceDefaults;

/// <summary>Where health is asked for and which checks answer each probe (mapped by <c>MapDefaultEndpoints</c>).</summary>
public static class HealthDefaults
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>Health checks tagged with this answer both probes: the process itself.</summary>
    public const string LiveTag = "live";

    /// <summary>Health checks tagged with this run only for readiness (DB, broker, Redis).</summary>
    public const string ReadyTag = "ready";

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }
}
