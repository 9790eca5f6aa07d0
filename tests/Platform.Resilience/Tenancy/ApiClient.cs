using System.Net;
using System.Net.Http.Json;
using Platform.Testing;

namespace Platform.Resilience.Tenancy;

/// <summary>
/// One client app talking to the gateway: its own address (sent as <c>X-Forwarded-For</c>, which the gateway believes from
/// loopback, as from the load balancer in front of it) and its own access token, fetched again before it runs out.
/// Distinct addresses keep the per-address sign-in limit what it is in production while many clients sign in.
/// </summary>
public sealed class ApiClient(HttpClient gateway, string address, Func<ApiClient, CancellationToken, Task<(string Token, DateTimeOffset ExpiresAt)>>? signIn)
{
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private (string Token, DateTimeOffset ExpiresAt)? token;

    public string Address => address;

    public HttpClient Gateway => gateway;

    public static ApiClient Anonymous(HttpClient gateway, string address) => new(gateway, address, null);

    /// <summary>Signs in with the password grant of the first-party client <c>platform-cli</c>.</summary>
    public static ApiClient ForUser(HttpClient gateway, string address, string username, string password) =>
        new(gateway, address, (client, cancellationToken) => client.TokenAsync(PasswordGrant.Fields(username, password), cancellationToken));

    /// <summary>A practice's system client (client credentials).</summary>
    public static ApiClient ForSystemClient(HttpClient gateway, string address, string clientId, string secret) =>
        new(gateway, address, (client, cancellationToken) => client.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "platform-api",
        }, cancellationToken));

    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken)
    {
        if (signIn is null) throw new InvalidOperationException("An anonymous client has no token.");
        await refreshing.WaitAsync(cancellationToken);
        try
        {
            if (this.token is not { } token || token.ExpiresAt < DateTimeOffset.UtcNow.AddMinutes(3))
            {
                this.token = token = await signIn(this, cancellationToken);
            }

            return token.Token;
        }
        finally
        {
            refreshing.Release();
        }
    }

    /// <summary>Sends a request from this client's address, with its bearer token unless it is anonymous.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, bool authenticate = true)
    {
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
        if (authenticate && signIn is not null && request.Headers.Authorization is null)
        {
            request.Headers.Authorization = new("Bearer", await AccessTokenAsync(cancellationToken));
        }

        return await gateway.SendAsync(request, cancellationToken);
    }

    public async Task<(HttpStatusCode Status, ApiBody Body)> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, cancellationToken);
        return (response.StatusCode, await BodyAsync(response, cancellationToken));
    }

    public Task<(HttpStatusCode Status, ApiBody Body)> PostJsonAsync(string path, object? body, CancellationToken cancellationToken,
        string? idempotencyKey = null) => SendJsonAsync(HttpMethod.Post, path, body, cancellationToken, idempotencyKey);

    public async Task<(HttpStatusCode Status, ApiBody Body)> SendJsonAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken,
        string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await SendAsync(request, cancellationToken);
        return (response.StatusCode, await BodyAsync(response, cancellationToken));
    }

    /// <summary>A successful GET's body as <typeparamref name="T"/>, or a failure naming what was answered.</summary>
    public async Task<T> GetOkAsync<T>(string path, CancellationToken cancellationToken)
    {
        var (status, body) = await GetJsonAsync(path, cancellationToken);
        Assert.True((int)status is >= 200 and < 300, $"GET {path} answered {(int)status}: {body}");
        return body.Read<T>();
    }

    /// <summary>The body's text and, for a 4xx whose body is a JSON object, its problem details.</summary>
    public static async Task<ApiBody> BodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken); // buffers the body: read again as the problem
        var refused = (int)response.StatusCode is >= 400 and < 500 && text.TrimStart().StartsWith('{');
        return new ApiBody(text, refused ? await response.ReadProblemAsync(cancellationToken) : null);
    }

    private async Task<(string Token, DateTimeOffset ExpiresAt)> TokenAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
            using var response = await SendAsync(request, cancellationToken, authenticate: false);
            var body = await BodyAsync(response, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var token = body.Read<OAuthTokenBody>();
                return (token.AccessToken, DateTimeOffset.UtcNow.AddSeconds(token.ExpiresIn ?? 900));
            }

            // A fault case may have the identity service or its database down for a moment: a real client tries again.
            if ((int)response.StatusCode < 500 || attempt >= 30)
            {
                throw new InvalidOperationException($"Signing in ({form["grant_type"]}) from {address} answered {(int)response.StatusCode}: {body}");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }
}
