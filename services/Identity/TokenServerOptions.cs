namespace Identity.Api;

/// <summary>The OpenID Connect server (<c>Identity:Server</c>).</summary>
public sealed class TokenServerOptions
{
    public const string Section = "Identity:Server";

    /// <summary>
    /// The issuer written into tokens (e.g. the URL clients reach Identity at through the gateway). When unset,
    /// it is derived from each request, which only suits a single host name.
    /// </summary>
    public Uri? Issuer { get; set; }

    /// <summary>Refuse plain HTTP on the OpenID endpoints. Turned off for the local run and tests only.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>The audience (resource) every access token is issued for.</summary>
    public string Audience { get; set; } = "platform-api";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How long a rotated refresh token may still be presented (concurrent requests of one client). Presenting it
    /// later revokes every token of its family. Null: never.
    /// </summary>
    public TimeSpan? RefreshTokenReuseLeeway { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Validity of a generated signing or encryption certificate.</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>A new certificate is generated at start-up when the newest one expires within this period.</summary>
    public TimeSpan KeyRollover { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Password protecting the PKCS#12 certificates stored in the database (from a secret store in production).</summary>
    public string? KeyPassword { get; set; }

    /// <summary>Redirect URIs of the practice portal for the authorization code flow.</summary>
    public string[] PortalRedirectUris { get; set; } = [];

    internal IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Audience)) yield return "Audience is required.";
        if (AccessTokenLifetime <= TimeSpan.Zero) yield return "AccessTokenLifetime must be positive.";
        if (RefreshTokenLifetime <= TimeSpan.Zero) yield return "RefreshTokenLifetime must be positive.";
        if (RefreshTokenReuseLeeway < TimeSpan.Zero) yield return "RefreshTokenReuseLeeway must not be negative.";
        if (KeyLifetime <= KeyRollover) yield return "KeyLifetime must be longer than KeyRollover.";
        if (Issuer is { IsAbsoluteUri: false }) yield return "Issuer must be an absolute URI.";
        foreach (var uri in PortalRedirectUris.Where(uri => !Uri.IsWellFormedUriString(uri, UriKind.Absolute)))
        {
            yield return $"Portal redirect URI '{uri}' is not absolute.";
        }
    }
}
