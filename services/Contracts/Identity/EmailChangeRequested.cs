namespace Platform.Contracts.Identity;

/// <summary>
/// A person asked to sign in with a new email address. It becomes their sign-in name only when the link sent to that
/// address is opened (<see cref="ConfirmLink"/>, once, until <see cref="LinkExpiresAt"/>); until then nothing changes.
/// </summary>
public sealed record EmailChangeRequested(
    Guid UserId,
    string NewEmail,
    string DisplayName,
    Uri ConfirmLink,
    DateTimeOffset LinkExpiresAt);
