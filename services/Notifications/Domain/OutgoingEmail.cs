namespace Notifications.Api.Domain;

/// <summary>
/// An email waiting to be sent, being retried, sent or failed. Sending is a separate step from
/// consuming the event, so a mail relay outage delays mail but never loses it.
/// </summary>
public sealed class OutgoingEmail
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid SourceMessageId { get; init; }
    public required string Recipient { get; init; }
    public required string Kind { get; init; }
    public required string Subject { get; init; }
    public required string TextBody { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>W3C trace context of the event that caused it, so the send joins that trace.</summary>
    public string? TraceParent { get; init; }
    public string Status { get; set; } = EmailStatus.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LeasedUntil { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

public static class EmailStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}
