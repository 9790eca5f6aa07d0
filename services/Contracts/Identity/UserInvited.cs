namespace Platform.Contracts.Identity;

/// <summary>A practice admin invited a user; the link lets them set a password once, until <see cref="LinkExpiresAt"/>.</summary>
public sealed record UserInvited(
    Guid UserId,
    string Email,
    string DisplayName,
    string PracticeOds,
    string Role,
    Uri SetPasswordLink,
    DateTimeOffset LinkExpiresAt,
    Guid? InvitedBy);
