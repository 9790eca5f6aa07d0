namespace Platform.Messaging;

/// <summary>Unsent outbox rows, as the last sweep saw them. A growing backlog means the broker or the dispatcher is stuck.</summary>
public sealed record OutboxBacklog(int Unsent, DateTimeOffset? OldestUnsentCreatedAt);
