namespace Identity.Api;

/// <summary>Password and client-secret policy (<c>Identity:Credentials</c>).</summary>
public sealed class CredentialOptions
{
    public const string Section = "Identity:Credentials";

    public TimeSpan PasswordLifetime { get; set; } = TimeSpan.FromDays(180);

    public TimeSpan ClientSecretLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>ASVS 5 asks for at least 12 characters.</summary>
    public int PasswordMinimumLength { get; set; } = 12;

    public int PasswordMaximumLength { get; set; } = 128;

    /// <summary>How many previous passwords may not be chosen again.</summary>
    public int PasswordHistory { get; set; } = 8;

    /// <summary>PBKDF2-HMAC-SHA512 iterations (ASP.NET Core Identity v3 hashes); OWASP asks for at least 210,000.</summary>
    public int HashIterations { get; set; } = 210_000;

    public int MaxFailedSignIns { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan ResetLinkLifetime { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan InvitationLinkLifetime { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan EmailConfirmationLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Long enough for someone away for a week to read the notice at the old address and still act on it.</summary>
    public TimeSpan EmailChangeUndoLinkLifetime { get; set; } = TimeSpan.FromDays(14);

    internal IEnumerable<string> Problems()
    {
        if (PasswordLifetime <= TimeSpan.Zero) yield return "PasswordLifetime must be positive.";
        if (ClientSecretLifetime <= TimeSpan.Zero) yield return "ClientSecretLifetime must be positive.";
        if (PasswordMinimumLength < 12) yield return "PasswordMinimumLength must be at least 12 (ASVS 5).";
        if (PasswordMaximumLength < 64) yield return "PasswordMaximumLength must allow at least 64 characters (ASVS 5).";
        if (PasswordHistory < 0) yield return "PasswordHistory must not be negative.";
        if (HashIterations < 210_000) yield return "HashIterations must be at least 210,000 for PBKDF2-HMAC-SHA512.";
        if (MaxFailedSignIns < 1) yield return "MaxFailedSignIns must be at least 1.";
        if (LockoutDuration <= TimeSpan.Zero) yield return "LockoutDuration must be positive.";
        if (ResetLinkLifetime <= TimeSpan.Zero) yield return "ResetLinkLifetime must be positive.";
        if (InvitationLinkLifetime <= TimeSpan.Zero) yield return "InvitationLinkLifetime must be positive.";
        if (EmailConfirmationLinkLifetime <= TimeSpan.Zero) yield return "EmailConfirmationLinkLifetime must be positive.";
        if (EmailChangeUndoLinkLifetime <= TimeSpan.Zero) yield return "EmailChangeUndoLinkLifetime must be positive.";
    }
}
