using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Portal.Authentication;

/// <summary>A token endpoint answer.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("id_token")] string? IdToken);

/// <summary>A token endpoint refusal: the RFC 6749 error and the platform's stable <c>code</c> beside it.</summary>
public sealed record TokenError(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("error_description")] string? Description);

/// <summary>
/// The portal's server-to-server channel to Identity's OpenID Connect endpoints. Requests addressed to the gateway's
/// <c>/connect</c> and <c>/.well-known</c> paths go to <see cref="PortalOptions.IdentityUrl"/> when it is set (inside the
/// platform), else through the gateway.
/// </summary>
public sealed class IdentityBackchannel(IOptions<PortalOptions> options, IHttpClientFactory clients)
{
    public const string ClientName = "identity-backchannel";

    private readonly PortalOptions portal = options.Value;

    public HttpMessageHandler CreateHandler() => new RedirectToIdentity(portal) { InnerHandler = new SocketsHttpHandler() };

    /// <summary>Asks the token endpoint for tokens: the refresh and password grants.</summary>
    public async Task<(TokenResponse? Tokens, TokenError? Error)> RequestTokensAsync(IDictionary<string, string> form, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(ClientName);
        form["client_id"] = portal.ClientId;
        using var response = await http.PostAsync(TokenEndpoint, new FormUrlEncodedContent(form), cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken), null);
        }
        var error = response.Content.Headers.ContentType?.MediaType == "application/json"
            ? await response.Content.ReadFromJsonAsync<TokenError>(cancellationToken)
            : null;
        return (null, error ?? new TokenError("server_error", null, $"The token endpoint answered {(int)response.StatusCode}."));
    }

    private Uri TokenEndpoint => new(portal.IdentityUrl ?? portal.GatewayUrl, "connect/token");

    private sealed class RedirectToIdentity(PortalOptions portal) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (portal.IdentityUrl is { } identity && request.RequestUri is { } uri
                && string.Equals(uri.Authority, portal.GatewayUrl.Authority, StringComparison.OrdinalIgnoreCase)
                && (uri.AbsolutePath.StartsWith("/connect/", StringComparison.Ordinal) || uri.AbsolutePath.StartsWith("/.well-known/", StringComparison.Ordinal)))
            {
                request.RequestUri = new Uri(identity, uri.PathAndQuery);
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
