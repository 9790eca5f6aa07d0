namespace Platform.Messaging;

/// <summary>An event saved in the same transaction as the state change that raised it; the dispatcher publishes it after commit.</summary>
public sealed class OutboxMessage
{
    public long Id { get; internal set; }

    /// <summary>The MassTransit MessageId the event is published with, every time it is published.</summary>
    public Guid MessageId { get; internal set; }

    /// <summary>"Namespace.Type, Assembly", resolved again when the row is published.</summary>
    public string MessageType { get; internal set; } = "";

    /// <summary>The message as JSON.</summary>
    public string Body { get; internal set; } = "";

    /// <summary>W3C traceparent of the activity current when the event was added, so the publish continues that trace.</summary>
    public string? TraceParent { get; internal set; }

    public string? TraceState { get; internal set; }

    public DateTimeOffset CreatedAt { get; internal set; }

    /// <summary>Not published before this time; pushed back after each failed attempt.</summary>
    public DateTimeOffset NextAttemptAt { get; internal set; }

    public DateTimeOffset? SentAt { get; internal set; }

    /// <summary>Failed publish attempts so far.</summary>
    public int Attempts { get; internal set; }

    public string? LastError { get; internal set; }

    /// <summary>The message itself, while the row is in the memory of the process that added it: published without reading the body back.</summary>
    internal object? Message { get; set; }
}
