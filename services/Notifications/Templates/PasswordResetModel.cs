namespace Notifications.Api.Templates;

/// <summary><c>password-reset.liquid</c>: the single-use link.</summary>
public sealed record PasswordResetModel(string Link, string LinkExpiresAt);
