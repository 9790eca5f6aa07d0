namespace Notifications.Api.Templates;

/// <summary><c>email-confirmation.liquid</c>: the single-use link that confirms <see cref="NewEmail"/>.</summary>
public sealed record EmailConfirmationModel(string Link, string LinkExpiresAt, string NewEmail);
