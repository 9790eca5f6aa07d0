using System.ComponentModel.DataAnnotations;

namespace Portal;

/// <summary>Where the portal finds the platform (section <c>Portal</c>).</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>
    /// The gateway's public URL: people's browsers reach the portal and the sign-in pages there, and the portal calls the
    /// APIs through it with the signed-in person's token.
    /// </summary>
    [Required] public Uri GatewayUrl { get; set; } = new("http://localhost:8080/");

    /// <summary>
    /// Identity's own address inside the platform (optional). When set, the portal's server-to-server OpenID Connect calls
    /// (discovery, keys, code redemption, refresh) go straight to it, so they are not counted against the gateway's
    /// per-address sign-in limit as if every person shared the portal's address.
    /// </summary>
    public Uri? IdentityUrl { get; set; }

    /// <summary>The portal's OpenID Connect client (a public client: authorization code + PKCE).</summary>
    [Required] public string ClientId { get; set; } = "practice-portal";

    /// <summary>How long a signed-in session lasts without use.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);
}
