using System.Diagnostics.Metrics;

namespace Notifications.Api.Telemetry;

/// <summary>
/// Counters on the platform's meter ("Platform"): <c>platform.notifications.sent</c> and <c>platform.notifications.failed</c>
/// (tags <c>channel</c>, <c>kind</c>), and <c>platform.notifications.unrouted</c> for events nobody in the directory could be told.
/// </summary>
public sealed class NotificationMetrics
{
    public const string MeterName = "Platform";
    public const string SentName = "platform.notifications.sent";
    public const string FailedName = "platform.notifications.failed";
    public const string UnroutedName = "platform.notifications.unrouted";

    private readonly Counter<long> sent;
    private readonly Counter<long> failed;
    private readonly Counter<long> unrouted;

    public NotificationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        sent = meter.CreateCounter<long>(SentName, "{notification}", "Notifications delivered (email handed to the relay, in-app notice stored).");
        failed = meter.CreateCounter<long>(FailedName, "{notification}", "Notifications given up on after the last attempt.");
        unrouted = meter.CreateCounter<long>(UnroutedName, "{event}", "Events for which the directory knew nobody to tell.");
    }

    public void Sent(string channel, string kind, int count = 1) => sent.Add(count, Tags(channel, kind));

    public void Failed(string channel, string kind) => failed.Add(1, Tags(channel, kind));

    public void Unrouted(string kind) => unrouted.Add(1, new KeyValuePair<string, object?>("kind", kind));

    private static ReadOnlySpan<KeyValuePair<string, object?>> Tags(string channel, string kind) =>
        new KeyValuePair<string, object?>[] { new("channel", channel), new("kind", kind) };
}
