using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Platform.Client;

/// <summary>
/// Supplies the access token for each request; the CLI's token cache (with refresh) or an app's own sign-in implements it.
/// Return null to send the request without a token (anonymous endpoints).
/// </summary>
public interface IAccessTokenSource
{
    Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken);
}

/// <summary>Builds the Kiota request adapter every generated service client (<c>Platform.Client.{Service}</c>) takes, pointed at the gateway.</summary>
public static class PlatformRequestAdapter
{
    /// <summary>
    /// An adapter for <paramref name="gateway"/> (e.g. <c>http://localhost:8080</c>) that sends <c>Authorization: Bearer</c>
    /// from <paramref name="tokens"/>. Pass your own <paramref name="httpClient"/> to add handlers or timeouts.
    /// </summary>
    public static IRequestAdapter Create(Uri gateway, IAccessTokenSource tokens, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(tokens);
        return new HttpClientRequestAdapter(new GatewayBearerAuthentication(tokens, gateway), httpClient: httpClient)
        {
            BaseUrl = gateway.ToString().TrimEnd('/'),
        };
    }

    /// <summary>
    /// Adds the bearer token to requests for the gateway only. Kiota's own bearer provider sends tokens over HTTPS only,
    /// which would leave every request to a local run (plain HTTP on loopback) unauthenticated.
    /// </summary>
    private sealed class GatewayBearerAuthentication(IAccessTokenSource tokens, Uri gateway) : IAuthenticationProvider
    {
        public async Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null,
            CancellationToken cancellationToken = default)
        {
            if (!string.Equals(request.URI.Authority, gateway.Authority, StringComparison.OrdinalIgnoreCase)) return;
            var token = await tokens.GetAccessTokenAsync(cancellationToken);
            if (string.IsNullOrEmpty(token)) return;
            request.Headers.Remove("Authorization");
            request.Headers.Add("Authorization", $"Bearer {token}");
        }
    }
}
