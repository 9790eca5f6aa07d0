using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Bench.Platform;

/// <summary>What a client does through the gateway: sign in, register practices and their system clients, submit, read.</summary>
public sealed class PlatformApi(HttpClient http)
{
    /// <summary>The demo accounts' password in the local run (README "Demo logins").</summary>
    public const string DemoPassword = "Demo-Password-2026!";

    public HttpClient Http => http;

    public static FormUrlEncodedContent PasswordGrant(string username, string password = DemoPassword) =>
        global::Platform.Testing.PasswordGrant.Content(username, password);

    public async Task<string> SignInAsync(string username, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("connect/token", PasswordGrant(username), cancellationToken);
        return await AccessTokenAsync(response, $"signing in as {username}", cancellationToken);
    }

    public async Task<string> ClientTokenAsync(string clientId, string secret, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "platform-api",
        }), cancellationToken);
        return await AccessTokenAsync(response, $"client {clientId}", cancellationToken);
    }

    public async Task RegisterPracticeAsync(string adminToken, string ods, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "api/identity/practices", adminToken,
            new { ods, name = $"Bench Practice {ods}", icb = "QWE", listSize = 9720 }, cancellationToken, Guid.NewGuid().ToString());
        if (response.StatusCode != HttpStatusCode.Created && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw await FailureAsync(response, $"registering practice {ods}", cancellationToken);
        }
    }

    /// <summary>Invites the practice's admin, so the practice's payment emails have someone to go to.</summary>
    public async Task InviteAdminAsync(string adminToken, string ods, CancellationToken cancellationToken)
    {
        var email = $"admin@{ods.ToLowerInvariant()}.bench.test";
        using var response = await SendAsync(HttpMethod.Post, $"api/identity/practices/{ods}/users", adminToken,
            new { email, displayName = $"Admin of {ods}", role = "practice-admin" }, cancellationToken, $"bench-invite-{email}");
        if (response.StatusCode != HttpStatusCode.Created && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw await FailureAsync(response, $"inviting {ods}'s admin", cancellationToken);
        }
    }

    public async Task<(string ClientId, string Secret)> CreateClientAsync(string adminToken, string ods, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"api/identity/practices/{ods}/clients", adminToken,
            new { displayName = "Bench uploader" }, cancellationToken, Guid.NewGuid().ToString());
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw await FailureAsync(response, $"creating a client for {ods}", cancellationToken);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return (body.GetProperty("clientId").GetString()!, body.GetProperty("clientSecretValue").GetString()!);
    }

    public async Task<JsonElement> GetJsonAsync(string path, string token, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, token, null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, $"GET {path}", cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body, CancellationToken cancellationToken,
        string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await http.SendAsync(request, cancellationToken);
    }

    /// <summary>A short label for a failed answer: the status and, for problem details, the stable code (and the first field's).</summary>
    public static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var label = $"HTTP {(int)response.StatusCode}";
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("code", out var code))
            {
                label += $" {code.GetString()}";
                if (body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                    && errors[0].TryGetProperty("code", out var first))
                {
                    label += $" ({errors[0].GetProperty("field").GetString()}: {first.GetString()})";
                }
            }
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not JSON: the status says enough.
        }

        return label;
    }

    private static async Task<string> AccessTokenAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, what, cancellationToken);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.GetProperty("access_token").GetString()!;
    }

    private static async Task<Exception> FailureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken) =>
        new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
}
