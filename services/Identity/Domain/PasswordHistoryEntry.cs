namespace Identity.Api.Domain;

/// <summary>A hash of a password a user had, so the last few cannot be chosen again.</summary>
public sealed class PasswordHistoryEntry
{
    public long Id { get; init; }

    public Guid UserId { get; init; }

    public required string PasswordHash { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
