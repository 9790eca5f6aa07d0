namespace Gateway.Tests;

/// <summary>A readiness report as ServiceDefaults' <c>HealthReportWriter</c> writes it (it has no type of its own there).</summary>
public sealed record HealthReportBody(string Status, IReadOnlyDictionary<string, HealthCheckBody> Checks);

/// <summary>One check of a <see cref="HealthReportBody"/>, keyed by its name (a service's cluster id, or redis).</summary>
public sealed record HealthCheckBody(string Status, string? Description);
