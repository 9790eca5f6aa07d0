namespace Platform.Contracts.Identity;

/// <summary>Someone asked to reset the password of a real account; the link works once, until <see cref="LinkExpiresAt"/>.</summary>
public sealed record PasswordResetRequested(
    Guid UserId,
    string Email,
    string DisplayName,
    Uri ResetLink,
    DateTimeOffset LinkExpiresAt);
