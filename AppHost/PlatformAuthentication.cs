/// <summary>
/// Tokens across the platform: Identity issues them under the gateway's public URL (what clients call), and
/// every service and the gateway validates them against Identity's discovery document and JWKS, read from
/// Identity directly (<c>Identity__Authority</c>). The AppHost serves plain HTTP on loopback in every mode,
/// so the HTTPS requirements are off here; a deployment terminates TLS in front of the gateway.
/// </summary>
internal static class PlatformAuthentication
{
    public static void AddPlatformAuthentication(
        IResourceBuilder<ProjectResource> identity,
        IResourceBuilder<ProjectResource> gateway,
        IEnumerable<IResourceBuilder<ProjectResource>> resourceServers)
    {
        var publicUrl = gateway.GetEndpoint("http");
        var authority = identity.GetEndpoint("http");

        identity
            .WithEnvironment("Identity__Server__Issuer", publicUrl)
            .WithEnvironment("Identity__Server__RequireHttps", "false")
            .WithEnvironment("Identity__Links__PortalBaseUrl", publicUrl);

        foreach (var server in resourceServers)
        {
            server
                .WithEnvironment("Identity__Authority", authority)
                .WithEnvironment("Identity__RequireHttpsMetadata", "false");
        }
    }

    /// <summary>
    /// The portal signs people in through the gateway (its public URL) as the <c>practice-portal</c> client, whose one
    /// redirect URI is the gateway's <c>/signin-oidc</c>; its server-to-server calls to Identity go to Identity directly.
    /// </summary>
    public static void AddPortalSignIn(
        IResourceBuilder<ProjectResource> identity,
        IResourceBuilder<ProjectResource> gateway,
        IResourceBuilder<ProjectResource> portal)
    {
        var publicUrl = gateway.GetEndpoint("http");
        identity.WithEnvironment("Identity__Server__PortalRedirectUris__0", ReferenceExpression.Create($"{publicUrl}/signin-oidc"));
        portal
            .WithEnvironment("Portal__GatewayUrl", publicUrl)
            .WithEnvironment("Portal__IdentityUrl", identity.GetEndpoint("http"));
    }
}
