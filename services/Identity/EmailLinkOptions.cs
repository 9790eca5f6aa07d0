namespace Identity.Api;

/// <summary>Where the links in emails point (<c>Identity:Links</c>).</summary>
public sealed class EmailLinkOptions
{
    public const string Section = "Identity:Links";

    /// <summary>The web app that shows the reset, set-password and email confirmation pages.</summary>
    public Uri PortalBaseUrl { get; set; } = new("http://localhost:8080/");

    public Uri ResetLink(string email, string token) => Build("reset-password", email, token);

    public Uri SetPasswordLink(string email, string token) => Build("set-password", email, token);

    /// <summary>The token alone identifies the change, so the new address is not repeated in the link.</summary>
    public Uri ConfirmEmailLink(string token) => new(PortalBaseUrl, $"account/email/confirm?token={Uri.EscapeDataString(token)}");

    public Uri UndoEmailChangeLink(string token) => new(PortalBaseUrl, $"account/email/undo?token={Uri.EscapeDataString(token)}");

    private Uri Build(string page, string email, string token) =>
        new(PortalBaseUrl, $"{page}?email={Uri.EscapeDataString(email)}&token={Uri.EscapeDataString(token)}");
}
