namespace Identity.Api.Domain;

/// <summary>
/// A single-use secret sent by email (password reset, invitation, email confirmation and its undo). Only its SHA-256 hash is stored;
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

    /// <summary>What the link acts on, where the purpose needs it: the address to confirm, or the one to go back to.</summary>
    public string? Payload { get; init; }
}

public static class OneTimeTokenPurposes
{
    public const string PasswordReset = "password-reset";
    public const string Invitation = "invitation";
    public const string EmailConfirmation = "email-confirmation";
    public const string EmailChangeUndo = "email-change-undo";
}
