using System.Diagnostics;

namespace Payments.Api.Domain;

/// <summary>
/// Runs a later step of a payment (a decision, a posting, a reminder) inside the trace of the submission it pays, linked to
/// whatever started it, so the events it publishes carry the submission's trace id from receipt to outcome.
/// </summary>
public static class PaymentTrace
{
    public static readonly ActivitySource Source = new(Microsoft.Extensions.Hosting.ServiceDefaultsExtensions.PlatformTelemetryName);

    public static Activity? Continue(Payment payment, string name)
    {
        if (payment.TraceParent is null || !ActivityContext.TryParse(payment.TraceParent, null, out var parent)) return null;
        var links = Activity.Current is { } current ? new[] { new ActivityLink(current.Context) } : null;
        var activity = Source.StartActivity(name, ActivityKind.Internal, parent, links: links);
        if (activity is not null) return activity;
        // Nobody listens (tests, telemetry off): still carry the trace context to the outbox.
        var plain = new Activity(name);
        plain.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
        return plain.Start();
    }
}
