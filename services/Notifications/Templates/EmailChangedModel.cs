namespace Notifications.Api.Templates;

/// <summary><c>email-changed.liquid</c>. Events from before the undo link have none (null), and the template leaves it out.</summary>
public sealed record EmailChangedModel(string ChangedAt, string NewEmail, string? UndoLink, string? UndoLinkExpiresAt);
