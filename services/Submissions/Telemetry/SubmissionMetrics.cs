using System.Diagnostics.Metrics;
using Platform.ServiceDefaults;
using Submissions.Api.Domain;

namespace Submissions.Api.Telemetry;

/// <summary>
/// The Submissions service's instruments on the platform's <c>Platform</c> meter, tagged with the catalogue's <c>service_code</c>
/// (QOF, FLU...; <c>unknown</c> for a code the catalogue does not have):
/// <list type="bullet">
/// <item><c>platform.submissions.accepted</c>: new versions stored (a replayed Idempotency-Key is not counted again).</item>
/// <item><c>platform.submissions.rejected</c>: refused at intake (<c>stage</c> intake: <c>reason</c> validation_failed or
/// submission_locked) or by Payments (<c>stage</c> payments, <c>reason</c> its code).</item>
/// <item><c>platform.submissions.time_to_outcome</c>: seconds from receipt to a terminal outcome (tag <c>outcome</c>).</item>
/// <item><c>platform.submissions.stalled</c> (tag <c>status</c>) and <c>platform.submissions.stalled.current</c>: see the watchdog.</item>
/// </list>
/// </summary>
public sealed class SubmissionMetrics
{
    public const string AcceptedName = "platform.submissions.accepted";
    public const string RejectedName = "platform.submissions.rejected";
    public const string TimeToOutcomeName = "platform.submissions.time_to_outcome";
    public const string StalledCounterName = "platform.submissions.stalled";
    public const string StalledGaugeName = "platform.submissions.stalled.current";

    /// <summary>From seconds (paid at once) to weeks (waiting for a commissioner).</summary>
    private static readonly double[] OutcomeBuckets = [1, 5, 15, 30, 60, 300, 900, 3600, 4 * 3600, 86400, 3 * 86400, 7 * 86400, 14 * 86400, 28 * 86400];

    private readonly Counter<long> accepted;
    private readonly Counter<long> rejected;
    private readonly Histogram<double> timeToOutcome;
    private readonly Counter<long> stalled;
    private long stalledNow;

    public SubmissionMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(TelemetryDefaults.PlatformTelemetryName);
        accepted = Meter.CreateCounter<long>(AcceptedName, "{submission}", "Submission versions accepted and stored.");
        rejected = Meter.CreateCounter<long>(RejectedName, "{submission}", "Submissions refused at intake or rejected by Payments.");
        timeToOutcome = Meter.CreateHistogram(TimeToOutcomeName, "s", "Time from receipt to a terminal outcome (paid, rejected, declined, payment-failed, superseded).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = OutcomeBuckets });
        stalled = Meter.CreateCounter<long>(StalledCounterName, "{submission}", "Submissions reported stalled by the watchdog.");
        Meter.CreateObservableGauge(StalledGaugeName, () => Interlocked.Read(ref stalledNow), "{submission}",
            "Submissions past their SLA without a terminal outcome or awaiting-approval, at the watchdog's last scan.");
    }

    public Meter Meter { get; }

    public void Accepted(string serviceCode) => accepted.Add(1, ServiceCode(serviceCode));

    public void Rejected(string serviceCode, string stage, string reason) =>
        rejected.Add(1, ServiceCode(serviceCode), new("stage", stage), new("reason", reason));

    /// <summary>Records the time to outcome when <paramref name="submission"/> is in a terminal status.</summary>
    public void Finished(Submission submission)
    {
        if (!SubmissionStatus.IsTerminal(submission.Status)) return;
        var seconds = Math.Max(0, (submission.StatusChangedAt - submission.ReceivedAt).TotalSeconds);
        timeToOutcome.Record(seconds, ServiceCode(submission.ServiceCode), new("outcome", submission.Status));
    }

    public void Stalled(string serviceCode, string status) => stalled.Add(1, ServiceCode(serviceCode), new("status", status));

    public void SetStalledNow(long count) => Interlocked.Exchange(ref stalledNow, count);

    private static KeyValuePair<string, object?> ServiceCode(string? code) => new("service_code", string.IsNullOrEmpty(code) ? "unknown" : code);
}
