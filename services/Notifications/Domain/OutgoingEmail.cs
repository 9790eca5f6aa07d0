namespace Notifications.Api.Domain;

/// <summary>
/// An email waiting to be sent, being retried, sent or failed. Sending is a separate step from
/// consuming the event, so a mail relay outage delays mail but never loses it.
/// </summary>
public sealed class OutgoingEmail
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid SourceMessageId { get; init; }
    /// <summary>The address; with the source message it is unique, so a redelivered event sends nothing more.</summary>
    public required string Recipient { get; init; }
    /// <summary>The person, when the directory knows them (not for an address named only by the event).</summary>
    public Guid? RecipientUserId { get; init; }
    public required string Kind { get; init; }
    public required string Subject { get; init; }
    public required string TextBody { get; init; }
    public string? HtmlBody { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>W3C trace context of the event that caused it, so the send joins that trace.</summary>
    public string? TraceParent { get; init; }
    public string Status { get; set; } = EmailStatus.Pending;
    /// <summary>Attempts since it was queued (or an admin retried it); every attempt is also in <see cref="EmailAttempt"/>.</summary>
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LeasedUntil { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public DateTimeOffset? RetriedAt { get; set; }
    public Guid? RetriedBy { get; set; }

    /// <summary>An admin asks for another round of attempts after it failed.</summary>
    public bool Retry(Guid? by, DateTimeOffset now)
    {
        if (Status != EmailStatus.Failed) return false;
        Status = EmailStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        LeasedUntil = null;
        FailedAt = null;
        RetriedAt = now;
        RetriedBy = by;
        return true;
    }
}

public static class EmailStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}
