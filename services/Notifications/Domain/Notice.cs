namespace Notifications.Api.Domain;

/// <summary>An in-app notice in one person's inbox.</summary>
public sealed class Notice
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>The event that caused it; with the recipient it is unique, so a redelivered event adds nothing.</summary>
    public required Guid SourceMessageId { get; init; }
    /// <summary>The person (the <c>sub</c> of their token) whose inbox it is in.</summary>
    public required Guid RecipientUserId { get; init; }
    public required string Kind { get; init; }
    public required string Title { get; init; }
    public required string Body { get; init; }
    /// <summary>Where to act on it, when there is somewhere.</summary>
    public string? Link { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadAt { get; set; }

    public bool MarkRead(DateTimeOffset now)
    {
        if (ReadAt is not null) return false;
        ReadAt = now;
        return true;
    }
}
