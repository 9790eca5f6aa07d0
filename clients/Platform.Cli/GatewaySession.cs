using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Platform.Client;

namespace Platform.Cli;

/// <summary>
/// Talks to the gateway for the CLI: the password grant for client <c>platform-cli</c>, cached tokens refreshed before they
/// expire, and problem details turned into <see cref="CliException"/>s with the platform's code and a matching exit code.
/// </summary>
public sealed class GatewaySession(Uri gateway, TokenCache cache, HttpClient http) : IAccessTokenSource
{
    public const string ClientId = "platform-cli";
    private const string Scopes = "openid offline_access profile email roles platform-api";

    public Uri Gateway { get; } = gateway;

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

    public void Logout() => cache.Remove(Gateway);

    public async Task<string?> GetAccessTokenAsync(CancellationToken cancellationToken)
    {
        var tokens = cache.Get(Gateway) ?? throw new CliException($"Not signed in to {Gateway}. Run: platform-cli login --username <email>", "not_signed_in", ExitCodes.NotSignedIn);
        if (tokens.ExpiresAt > DateTimeOffset.UtcNow.AddSeconds(30)) return tokens.AccessToken;
        if (tokens.RefreshToken is null)
        {
            throw new CliException("The session has expired. Run: platform-cli login", "session_expired", ExitCodes.NotSignedIn);
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
            cache.Remove(Gateway);
            throw new CliException($"The session has ended ({exception.Message}). Run: platform-cli login", exception.Code, ExitCodes.NotSignedIn);
        }
    }

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? content = null, CancellationToken cancellationToken = default,
        IDictionary<string, string>? headers = null)
    {
        using var response = await SendRawAsync(method, path, content, HttpCompletionOption.ResponseContentRead, cancellationToken, headers);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sends with the bearer token and throws a <see cref="CliException"/> for any error answer.</summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, HttpCompletionOption completion,
        CancellationToken cancellationToken, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(Gateway, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await GetAccessTokenAsync(cancellationToken));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new CliException($"The gateway at {Gateway} could not be reached: {exception.Message}", "unreachable", ExitCodes.Unavailable);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            throw await ProblemAsync(response, cancellationToken);
        }
    }

    private async Task<CachedTokens> RequestTokensAsync(string username, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(new Uri(Gateway, "/connect/token"), new FormUrlEncodedContent(form), cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new CliException($"The gateway at {Gateway} could not be reached: {exception.Message}", "unreachable", ExitCodes.Unavailable);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500 || !text.TrimStart().StartsWith('{'))
                {
                    throw await ProblemAsync(response, cancellationToken, text);
                }
                var error = JsonDocument.Parse(text).RootElement;
                var code = Text(error, "code") ?? Text(error, "error");
                var description = Text(error, "error_description") ?? "The sign-in was refused.";
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
            return new CachedTokens(TokenCache.Key(Gateway), username, Text(body, "access_token")!, Text(body, "refresh_token"),
                DateTimeOffset.UtcNow.AddSeconds(expiresIn));
        }
    }

    private static async Task<CliException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken, string? text = null)
    {
        text ??= await response.Content.ReadAsStringAsync(cancellationToken);
        string? code = null, message = null;
        if (text.TrimStart().StartsWith('{'))
        {
            var problem = JsonDocument.Parse(text).RootElement;
            code = Text(problem, "code");
            message = string.Join(" ", new[] { Text(problem, "title"), Text(problem, "detail") }.Where(part => !string.IsNullOrWhiteSpace(part)));
            if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in errors.EnumerateArray()) message += $"\n  {Text(error, "field")}: {Text(error, "message")} ({Text(error, "code")})";
            }
            if (Text(problem, "traceId") is { } traceId) message += $"\n  trace id: {traceId}";
        }
        message = string.IsNullOrWhiteSpace(message) ? $"The gateway answered {(int)response.StatusCode} {response.ReasonPhrase}." : message;
        var exitCode = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => ExitCodes.NotSignedIn,
            HttpStatusCode.NotFound => ExitCodes.NotFound,
            HttpStatusCode.TooManyRequests => ExitCodes.Unavailable,
            >= HttpStatusCode.InternalServerError => ExitCodes.Unavailable,
            _ => ExitCodes.Rejected,
        };
        if (response.Headers.RetryAfter?.Delta is { } retry) message += $"\n  retry after {retry.TotalSeconds:0} s";
        return new CliException(message, code, exitCode);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
