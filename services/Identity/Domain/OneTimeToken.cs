namespace Identity.Api.Domain;

/// <summary>
/// A single-use secret sent by email (password reset, invitation). Only its SHA-256 hash is stored;
/// it works once and until <see cref="ExpiresAt"/>.
/// </summary>
public sealed class OneTimeToken
{
    public Guid Id { get; init; }

    public Guid UserId { get; init; }

    /// <summary><see cref="OneTimeTokenPurposes"/>.</summary>
    public required string Purpose { get; init; }

    public required string TokenHash { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? UsedAt { get; set; }
}

public static class OneTimeTokenPurposes
{
    public const string PasswordReset = "password-reset";
    public const string Invitation = "invitation";
}
