namespace Platform.Contracts.Identity;

/// <summary>An account was created (by invitation or by seeding). A token for it carries <see cref="PracticeOds"/> or <see cref="Icb"/>.</summary>
public sealed record UserRegistered(
    Guid UserId,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    string? PracticeOds,
    string? Icb,
    DateTimeOffset RegisteredAt);
