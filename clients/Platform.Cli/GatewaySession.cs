using System.Net;
using System.Text.Json;
using Platform.Client;

namespace Platform.Cli;

/// <summary>
/// The CLI's sign-in with the gateway: the password grant for client <c>platform-cli</c>, cached tokens refreshed before they
/// expire (the token endpoint is OpenID Connect, not part of the services' documents, so it is called directly), and the
/// generated API clients (<see cref="Api"/>) that send the cached access token.
/// </summary>
public sealed class GatewaySession : IAccessTokenSource
{
    public const string ClientId = "platform-cli";
    private const string Scopes = "openid offline_access profile email roles platform-api";

    private readonly TokenCache cache;
    private readonly HttpClient http;

    public GatewaySession(Uri gateway, string profile, TokenCache cache, HttpClient http)
    {
        Gateway = gateway;
        Profile = profile;
        CacheKey = TokenCache.Key(gateway, profile);
        this.cache = cache;
        this.http = http;
        Api = new PlatformApi(gateway, this, http);
    }

    public Uri Gateway { get; }

    /// <summary>The token cache profile (<c>--profile</c>): one signed-in identity per gateway and profile.</summary>
    public string Profile { get; }

    public string CacheKey { get; }

    /// <summary>Who the cached session is for, if any.</summary>
    public string? SignedInAs => cache.Get(CacheKey)?.Username;

    /// <summary>"platform-cli" with the <c>--profile</c> option when it is not the default, for the commands we suggest.</summary>
    public string Command => Profile == TokenCache.DefaultProfile ? "platform-cli" : $"platform-cli --profile {Profile}";

    public PlatformApi Api { get; }

    public async Task<CachedTokens> LoginAsync(string username, string password, CancellationToken cancellationToken)
    {
        var tokens = await RequestTokensAsync(username, new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = ClientId,
            ["username"] = username,
            ["password"] = password,
            ["scope"] = Scopes,
        }, cancellationToken);
        cache.Save(tokens);
        return tokens;
    }

    public void Logout() => cache.Remove(CacheKey);

    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var tokens = cache.Get(CacheKey) ?? throw new CliException(
            $"Not signed in to {Gateway}{(Profile == TokenCache.DefaultProfile ? "" : $" (profile {Profile})")}. Run: {Command} login --username <email>",
            "not_signed_in", ExitCodes.NotSignedIn);
        if (tokens.ExpiresAt > DateTimeOffset.UtcNow.AddSeconds(30)) return tokens.AccessToken;
        if (tokens.RefreshToken is null)
        {
            throw new CliException($"The session has expired. Run: {Command} login", "session_expired", ExitCodes.NotSignedIn);
        }
        try
        {
            var refreshed = await RequestTokensAsync(tokens.Username, new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["client_id"] = ClientId,
                ["refresh_token"] = tokens.RefreshToken,
            }, cancellationToken);
            cache.Save(refreshed with { RefreshToken = refreshed.RefreshToken ?? tokens.RefreshToken });
            return refreshed.AccessToken;
        }
        catch (CliException exception) when (exception.ExitCode is ExitCodes.Rejected)
        {
            cache.Remove(CacheKey);
            throw new CliException($"The session has ended ({exception.Message}). Run: {Command} login", exception.Code, ExitCodes.NotSignedIn);
        }
    }

    /// <summary>
    /// A request the generated client cannot make: the server-sent events of a submission (Kiota does not stream them).
    /// Error answers throw <see cref="CliException"/> like the typed calls.
    /// </summary>
    public async Task<HttpResponseMessage> StreamAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway, path));
        request.Headers.Authorization = new("Bearer", await GetAccessTokenAsync(cancellationToken));
        request.Headers.Accept.Add(new("text/event-stream"));
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private async Task<CachedTokens> RequestTokensAsync(string username, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(new Uri(Gateway, "/connect/token"), new FormUrlEncodedContent(form), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500 || !text.TrimStart().StartsWith('{'))
            {
                throw await ProblemResponses.ToExceptionAsync(response, cancellationToken, text);
            }
            var error = JsonDocument.Parse(text).RootElement;
            var code = ProblemResponses.Text(error, "code") ?? ProblemResponses.Text(error, "error");
            var description = ProblemResponses.Text(error, "error_description") ?? "The sign-in was refused.";
            if (code == "password_expired")
            {
                throw new CliException(
                    $"{description}\nFix: choose a new password with POST {Gateway}api/identity/password/change-expired "
                    + "(username, currentPassword, newPassword), or ask your practice admin, then run platform-cli login again.",
                    code, ExitCodes.PasswordExpired);
            }
            throw new CliException(description, code, ExitCodes.Rejected);
        }
        var body = JsonDocument.Parse(text).RootElement;
        var expiresIn = body.TryGetProperty("expires_in", out var seconds) ? seconds.GetInt32() : 300;
        return new CachedTokens(CacheKey, username, ProblemResponses.Text(body, "access_token")!, ProblemResponses.Text(body, "refresh_token"),
            DateTimeOffset.UtcNow.AddSeconds(expiresIn));
    }
}
