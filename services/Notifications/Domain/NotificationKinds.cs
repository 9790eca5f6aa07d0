namespace Notifications.Api.Domain;

/// <summary>
/// Every kind of notification, its template (<c>Templates/{kind}.liquid</c>) and its channels. Security notices
/// (expiry, reset, invitation, password or email changed, a new email's confirmation, lockout) always go by email; the others can be turned off in the preferences (in-app stays).
/// </summary>
public static class NotificationKinds
{
    public const string CredentialExpiring = "credential-expiring";
    public const string CredentialExpired = "credential-expired";
    public const string UserInvited = "user-invited";
    public const string PasswordReset = "password-reset";
    public const string PasswordChanged = "password-changed";
    public const string EmailConfirmation = "email-confirmation";
    public const string EmailChanged = "email-changed";
    public const string UserLockedOut = "user-locked-out";
    public const string SubmissionAccepted = "submission-accepted";
    public const string SubmissionRejected = "submission-rejected";
    public const string SubmissionStalled = "submission-stalled";
    public const string PaymentAwaitingApproval = "payment-awaiting-approval";
    public const string PaymentSettled = "payment-settled";
    public const string PaymentDeclined = "payment-declined";
    public const string PaymentFailed = "payment-failed";

    /// <param name="Security">Cannot be turned off.</param>
    /// <param name="InApp">Also shown in the in-app inbox. Single-use links go only to the mailbox.</param>
    public sealed record Spec(string Kind, bool Security, bool InApp);

    public static readonly IReadOnlyDictionary<string, Spec> All = new Spec[]
    {
        new(CredentialExpiring, Security: true, InApp: true),
        new(CredentialExpired, Security: true, InApp: true),
        new(UserInvited, Security: true, InApp: false),
        new(PasswordReset, Security: true, InApp: false),
        new(PasswordChanged, Security: true, InApp: true),
        new(EmailConfirmation, Security: true, InApp: false),
        new(EmailChanged, Security: true, InApp: false), // to the address it left: an inbox under the new one would not help
        new(UserLockedOut, Security: true, InApp: true),
        new(SubmissionAccepted, Security: false, InApp: true),
        new(SubmissionRejected, Security: false, InApp: true),
        new(SubmissionStalled, Security: false, InApp: true),
        new(PaymentAwaitingApproval, Security: false, InApp: true),
        new(PaymentSettled, Security: false, InApp: true),
        new(PaymentDeclined, Security: false, InApp: true),
        new(PaymentFailed, Security: false, InApp: true),
    }.ToDictionary(spec => spec.Kind, StringComparer.Ordinal);

    public static bool IsSecurity(string kind) => All.TryGetValue(kind, out var spec) && spec.Security;
}

/// <summary>The delivery channels, as the <c>channel</c> tag of the metrics and spans.</summary>
public static class Channels
{
    public const string Email = "email";
    public const string InApp = "in-app";
}
