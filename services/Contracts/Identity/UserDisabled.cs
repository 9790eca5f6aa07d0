namespace Platform.Contracts.Identity;

/// <summary>A user can no longer sign in; their refresh tokens were revoked.</summary>
public sealed record UserDisabled(
    Guid UserId,
    string Email,
    string? PracticeOds,
    Guid? DisabledBy,
    DateTimeOffset DisabledAt);
