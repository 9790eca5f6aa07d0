namespace Identity.Api.Extensions;

/// <summary>Where the links in emails point (<c>Identity:Links</c>).</summary>
public sealed class EmailLinkOptions
{
    public const string Section = "Identity:Links";

    /// <summary>The web app that shows the reset and set-password pages.</summary>
    public Uri PortalBaseUrl { get; set; } = new("http://localhost:8080/");

    public Uri ResetLink(string email, string token) => Build("reset-password", email, token);

    public Uri SetPasswordLink(string email, string token) => Build("set-password", email, token);

    private Uri Build(string page, string email, string token) =>
        new(PortalBaseUrl, $"{page}?email={Uri.EscapeDataString(email)}&token={Uri.EscapeDataString(token)}");
}
