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
        var adapter = new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(new TokenProvider(tokens, gateway)), httpClient: httpClient)
        {
            BaseUrl = gateway.ToString().TrimEnd('/'),
        };
        return adapter;
    }

    private sealed class TokenProvider(IAccessTokenSource tokens, Uri gateway) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new([gateway.Authority]);

        public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null,
            CancellationToken cancellationToken = default) =>
            AllowedHostsValidator.IsUrlHostValid(uri) ? await tokens.GetAccessTokenAsync(cancellationToken) ?? string.Empty : string.Empty;
    }
}
