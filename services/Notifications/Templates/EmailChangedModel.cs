namespace Notifications.Api.Templates;

/// <summary>
/// <c>email-changed.liquid</c>. Events from before the undo link have none: then it is empty, and the template leaves it
/// out (a null would be an undefined variable to Fluid's strict mode, failing the render).
/// </summary>
public sealed record EmailChangedModel(string ChangedAt, string NewEmail, string UndoLink, string UndoLinkExpiresAt);
