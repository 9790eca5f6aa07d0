using System.Diagnostics;
using MassTransit;
using MassTransit.Logging;

namespace Platform.Messaging;

/// <summary>Tracing for the outbox and inbox. Add <see cref="ActivitySourceName"/> (and "MassTransit") to the tracer provider.</summary>
public static class MessagingDiagnostics
{
    public const string ActivitySourceName = "Platform";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    internal static Activity? StartDispatchActivity(OutboxMessage row, Type messageType, object? message)
    {
        ActivityContext.TryParse(row.TraceParent, row.TraceState, isRemote: true, out var parent);
        var activity = Source.StartActivity($"outbox dispatch {messageType.Name}", ActivityKind.Internal, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "rabbitmq");
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.message.id", row.MessageId.ToString("D"));
            activity.SetTag("messaging.message.type", messageType.FullName);
            activity.SetTag("platform.outbox.id", row.Id);
            activity.SetTag("platform.outbox.attempt", row.Attempts + 1);
            MessageTags.Apply(activity, message);
        }

        return activity;
    }

    internal static Activity? StartInboxActivity<TMessage>(ConsumeContext<TMessage> context, Type messageType, string consumerName)
        where TMessage : class
    {
        // MassTransit's consume activity is current when its source is listened to; otherwise continue
        // the trace from the header the publisher set, so the chain is not broken.
        var parent = default(ActivityContext);
        var kind = ActivityKind.Internal;
        if (Activity.Current is null
            && context.Headers.Get<string>(DiagnosticHeaders.ActivityId) is { } activityId
            && ActivityContext.TryParse(activityId, null, isRemote: true, out parent))
        {
            kind = ActivityKind.Consumer;
        }

        var activity = Source.StartActivity($"inbox handle {messageType.Name}", kind, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "rabbitmq");
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.message.id", context.MessageId?.ToString("D"));
            activity.SetTag("messaging.message.type", messageType.FullName);
            activity.SetTag("messaging.destination.name", context.ReceiveContext.InputAddress?.AbsolutePath.Trim('/'));
            activity.SetTag("messaging.consumer.group.name", consumerName);
            MessageTags.Apply(activity, context.Message);
        }

        return activity;
    }

    internal static void RecordFailure(this Activity? activity, Exception exception)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.AddException(exception);
    }
}
