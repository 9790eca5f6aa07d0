using System.Net;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Platform.Testing;

namespace Gateway.Tests;

public sealed class AuthenticationTests(GatewayServers servers) : IAsyncLifetime
{
    private readonly GatewayFactory gateway = new(servers);

    [Fact]
    public async Task Api_request_without_a_token_is_401_problem_and_never_reaches_the_service()
    {
        var response = await gateway.ClientFrom(Addresses.Next()).GetAsync("/api/submissions/no-token", TestContext.Current.CancellationToken);

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.False(servers.Downstream.Hits.ContainsKey("/api/submissions/no-token"));
    }

    public static TheoryData<string> BadTokens => new()
    {
        "not-a-jwt",
        "signed-by-another-key",
        "expired",
        "wrong-audience",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Api_request_with_a_bad_token_is_401_problem(string kind)
    {
        var token = kind switch
        {
            "signed-by-another-key" => TestTokens.Mint("someone", "practice-user", "A81001", key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" }),
            "expired" => TestTokens.Mint("someone", "practice-user", "A81001", expires: DateTime.UtcNow.AddMinutes(-10)),
            "wrong-audience" => TestTokens.Mint("someone", "practice-user", "A81001", audience: "another-api"),
            _ => "not-a-jwt",
        };

        var response = await gateway.ClientFrom(Addresses.Next(), token).GetAsync($"/api/payments/bad-{kind}", TestContext.Current.CancellationToken);

        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.False(servers.Downstream.Hits.ContainsKey($"/api/payments/bad-{kind}"));
    }

    [Fact]
    public async Task Api_request_with_a_valid_token_reaches_the_service_with_the_token()
    {
        var token = TestTokens.PracticeUser("A81001", "valid-user");

        var response = await gateway.ClientFrom(Addresses.Next(), token).GetAsync("/api/submissions/valid", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains($"Bearer {token}", body, StringComparison.Ordinal); // the service validates it too
    }

    [Theory]
    [InlineData("/connect/token", "grant_type=password&username=anonymous-route%40example.test&password=x")]
    [InlineData("/api/identity/password/reset-requests", null)]
    [InlineData("/api/identity/email-changes/confirm", null)] // the links in email-change emails: whoever opens one may not be signed in
    [InlineData("/api/identity/email-changes/undo", null)]
    public async Task Anonymous_identity_routes_pass_without_a_token(string path, string? form)
    {
        using var content = form is null
            ? new StringContent("""{"email":"reset-anonymous@example.test"}""", System.Text.Encoding.UTF8, "application/json")
            : new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        var response = await gateway.ClientFrom(Addresses.Next()).PostAsync(path, content, TestContext.Current.CancellationToken);

        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Discovery_document_passes_without_a_token()
    {
        var response = await gateway.ClientFrom(Addresses.Next()).GetAsync("/.well-known/openid-configuration", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await gateway.DisposeAsync();
}
