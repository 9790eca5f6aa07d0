namespace Notifications.Api.Templates;

/// <summary><c>credential-expiring.liquid</c> and <c>credential-expired.liquid</c>.</summary>
public sealed record CredentialModel(bool IsPassword, string CredentialName, string PracticeName, string ExpiresAt, string ExpiresOn,
    string TimeLeft, string ActionUrl, string ResetUrl);
