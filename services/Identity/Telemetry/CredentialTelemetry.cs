using System.Diagnostics;
using System.Diagnostics.Metrics;
using Platform.ServiceDefaults;

namespace Identity.Api.Telemetry;

/// <summary>
/// Traces and counts the expiry scan. Each warning starts a trace of its own (linked to the scan's), so one trace follows it
/// from the scan to the email; <c>platform.credentials.expiring</c> counts the warnings published, by <c>kind</c>
/// (password, client-secret) and <c>threshold_days</c> (30, 14, 7, 1; 0 = expired).
/// </summary>
public sealed class CredentialTelemetry
{
    public const string ExpiringName = "platform.credentials.expiring";
    public const string ScanSpanName = "credential expiry scan";
    public const string WarningSpanName = "credential expiry warning";

    private static readonly ActivitySource Source = new(TelemetryDefaults.PlatformTelemetryName);
    private readonly Counter<long> expiring;

    public CredentialTelemetry(IMeterFactory meters)
    {
        Meter = meters.Create(TelemetryDefaults.PlatformTelemetryName);
        expiring = Meter.CreateCounter<long>(ExpiringName, "{notice}", "Credential expiry warnings and expired notices published.");
    }

    public Meter Meter { get; }

    public static Activity? StartScan() => Source.StartActivity(ScanSpanName, ActivityKind.Internal, parentContext: default);

    /// <summary>Runs <paramref name="publish"/> in a new trace for one warning, linked to the scan, then returns to the scan's span.</summary>
    public static void InWarningTrace(string kind, Guid credentialId, int version, int thresholdDays, string? practiceOds, Action publish)
    {
        var scan = Activity.Current;
        Activity.Current = null;
        try
        {
            using var warning = Source.StartActivity(WarningSpanName, ActivityKind.Producer, parentContext: default,
                links: scan is null ? null : [new ActivityLink(scan.Context)]);
            if (warning is { IsAllDataRequested: true })
            {
                warning.SetTag("credential.kind", kind);
                warning.SetTag("credential.id", credentialId.ToString("D"));
                warning.SetTag("credential.version", version);
                warning.SetTag("credential.threshold_days", thresholdDays);
                if (practiceOds is not null) warning.SetTag("practice.ods", practiceOds);
            }
            publish();
        }
        finally
        {
            Activity.Current = scan;
        }
    }

    public void Published(string kind, int thresholdDays) =>
        expiring.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("threshold_days", thresholdDays));
}
