using System.Diagnostics;

namespace Platform.Messaging;

/// <summary>The W3C trace context an outbox row is published with: the activity current when its event was raised.</summary>
internal readonly record struct OutboxTrace(string? Parent, string? State)
{
    public static OutboxTrace Current()
    {
        var activity = Activity.Current;
        return activity is { IdFormat: ActivityIdFormat.W3C } ? new(activity.Id, activity.TraceStateString) : default;
    }
}
