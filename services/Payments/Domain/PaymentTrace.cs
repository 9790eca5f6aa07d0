using System.Diagnostics;
using Platform.ServiceDefaults;

namespace Payments.Api.Domain;

/// <summary>
/// Runs a later step of a payment (a decision, a posting, a reminder) inside the trace of the submission it pays, linked to
/// whatever started it, so the events it publishes carry the submission's trace id from receipt to outcome. The step's own
/// trace (a commissioner's request days later) gets the ids and a link back to the submission's trace.
/// </summary>
public static class PaymentTrace
{
    public static readonly ActivitySource Source = new(TelemetryDefaults.PlatformTelemetryName);

    public static Activity? Continue(Payment payment, string name)
    {
        Tag(Activity.Current, payment);
        if (payment.TraceParent is null || !ActivityContext.TryParse(payment.TraceParent, null, out var parent)) return null;
        var current = Activity.Current;
        var links = current is not null ? new[] { new ActivityLink(current.Context) } : null;
        if (current is not null && current.TraceId != parent.TraceId) current.AddLink(new ActivityLink(parent));
        var activity = Source.StartActivity(name, ActivityKind.Internal, parent, links: links);
        Tag(activity, payment);
        if (activity is not null) return activity;
        // Nobody listens (tests, telemetry off): still carry the trace context to the outbox.
        var plain = new Activity(name);
        plain.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
        return plain.Start();
    }

    /// <summary>The payment's and its submission's ids on <paramref name="activity"/>, so either id finds the trace.</summary>
    public static void Tag(Activity? activity, Payment payment)
    {
        if (activity is not { IsAllDataRequested: true }) return;
        activity.SetTag("payment.id", payment.Id.ToString("D"));
        activity.SetTag("submission.id", payment.SubmissionId.ToString("D"));
        activity.SetTag("submission.version", payment.SubmissionVersion);
        activity.SetTag("practice.ods", payment.PracticeOds);
    }
}
