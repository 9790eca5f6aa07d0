namespace Notifications.Api.Domain;

/// <summary>An in-app notice in a recipient's inbox.</summary>
public sealed class Notice
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>The event that caused it; with the recipient it is unique, so a redelivered event adds nothing.</summary>
    public required Guid SourceMessageId { get; init; }
    /// <summary>Who sees it: <c>practice:A81001</c> until the recipient directory names people.</summary>
    public required string Recipient { get; init; }
    public required string Kind { get; init; }
    public required string Title { get; init; }
    public required string Body { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadAt { get; set; }
}
