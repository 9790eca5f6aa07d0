namespace Platform.Contracts.Identity;

/// <summary>A user's email address or display name changed.</summary>
public sealed record UserContactChanged(
    Guid UserId,
    string Email,
    string DisplayName,
    DateTimeOffset ChangedAt,
    string? PreviousEmail = null, // the address before, when the email changed: it is told (added; older events have none)
    Uri? UndoLink = null, // for the previous address: puts it back and ends every session (added)
    DateTimeOffset? UndoLinkExpiresAt = null);
