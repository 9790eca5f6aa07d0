namespace Notifications.Api.Templates;

/// <summary><c>password-changed.liquid</c>. <see cref="How"/> completes "The password of your account was ...".</summary>
public sealed record PasswordChangedModel(string ChangedAt, string How, bool InPractice, string ResetUrl);
