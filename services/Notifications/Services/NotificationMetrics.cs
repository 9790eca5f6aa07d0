using System.Diagnostics.Metrics;

namespace Notifications.Api.Services;

/// <summary>
/// Counters on the platform's meter ("Platform"): <c>notifications.sent</c> and <c>notifications.failed</c>
/// (tags <c>channel</c>, <c>kind</c>), and <c>notifications.unrouted</c> for events nobody in the directory could be told.
/// </summary>
public sealed class NotificationMetrics
{
    public const string MeterName = "Platform";

    private readonly Counter<long> sent;
    private readonly Counter<long> failed;
    private readonly Counter<long> unrouted;

    public NotificationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        sent = meter.CreateCounter<long>("notifications.sent", "{notification}", "Notifications delivered (email handed to the relay, in-app notice stored).");
        failed = meter.CreateCounter<long>("notifications.failed", "{notification}", "Notifications given up on after the last attempt.");
        unrouted = meter.CreateCounter<long>("notifications.unrouted", "{event}", "Events for which the directory knew nobody to tell.");
    }

    public void Sent(string channel, string kind, int count = 1) => sent.Add(count, Tags(channel, kind));

    public void Failed(string channel, string kind) => failed.Add(1, Tags(channel, kind));

    public void Unrouted(string kind) => unrouted.Add(1, new KeyValuePair<string, object?>("kind", kind));

    private static ReadOnlySpan<KeyValuePair<string, object?>> Tags(string channel, string kind) =>
        new KeyValuePair<string, object?>[] { new("channel", channel), new("kind", kind) };
}
