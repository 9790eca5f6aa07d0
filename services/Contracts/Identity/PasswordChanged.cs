namespace Platform.Contracts.Identity;

/// <summary>
/// A user's password was set: changed while signed in, replaced after it expired, reset by email link, or first set from
/// an invitation (<see cref="Method"/>, one of <see cref="PasswordChangeMethods"/>). Older sessions were ended.
/// </summary>
public sealed record PasswordChanged(
    Guid UserId,
    string Email,
    string DisplayName,
    string? PracticeOds,
    DateTimeOffset ChangedAt,
    string Method);
