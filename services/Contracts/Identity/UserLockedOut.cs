namespace Platform.Contracts.Identity;

/// <summary>
/// Too many failed sign-ins in a row locked an account until <see cref="LockedUntil"/>. Published once per lockout.
/// <see cref="PracticeAdminEmails"/> lists the practice's admins, who can help (empty outside a practice).
/// </summary>
public sealed record UserLockedOut(
    Guid UserId,
    string Email,
    string DisplayName,
    string? PracticeOds,
    DateTimeOffset LockedUntil,
    IReadOnlyList<string> PracticeAdminEmails);
