using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Platform.Testing;

namespace Identity.Tests;

/// <summary>
/// What a client may ask for (issue 16, finding 6): only a token granted the <c>platform-api</c> scope calls the API,
/// and PKCE is S256 only (the <c>plain</c> method sends the verifier itself through the browser).
/// </summary>
public sealed class TokenRequestPolicyTests(MessagingServers servers)
{
    [Fact]
    public async Task A_token_not_granted_the_platform_api_scope_does_not_call_the_api()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test");
        using var client = app.CreateClient();

        var without = await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password, scope: "openid offline_access");
        var with = await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(client, without.AccessToken!));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(client, with.AccessToken!));
        Assert.False(JwtPayload.Read(without.AccessToken!).TryGetProperty("aud", out _));
    }

    [Fact]
    public async Task Discovery_offers_pkce_s256_only_and_an_authorization_request_with_plain_is_refused()
    {
        const string Redirect = "http://portal.test/callback";
        await using var app = await IdentityApp.StartAsync(servers, new() { ["Identity:Server:PortalRedirectUris:0"] = Redirect });
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var discovery = JsonDocument.Parse(await client.GetStringAsync("/.well-known/openid-configuration", TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(["S256"], discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()));

        string Authorize(string method) => $"/connect/authorize?client_id=practice-portal&response_type=code&redirect_uri={Uri.EscapeDataString(Redirect)}"
            + $"&scope=openid%20platform-api&state=s1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method={method}";
        using var s256 = await client.GetAsync(Authorize("S256"), TestContext.Current.CancellationToken);
        using var plain = await client.GetAsync(Authorize("plain"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, s256.StatusCode); // on to the sign-in page
        Assert.StartsWith("/connect/login", s256.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
    }

    [Fact]
    public async Task Discovery_advertises_every_endpoint_at_the_public_address_not_the_services_own()
    {
        await using var app = await IdentityApp.StartAsync(servers, new() { ["Identity:Server:Issuer"] = "https://platform.example.test/" });
        using var client = app.CreateClient();

        var discovery = JsonDocument.Parse(await client.GetStringAsync("/.well-known/openid-configuration", TestContext.Current.CancellationToken)).RootElement;

        var endpoints = discovery.EnumerateObject().Where(property => property.Name.EndsWith("_endpoint", StringComparison.Ordinal) || property.Name == "jwks_uri")
            .Select(property => (property.Name, Url: property.Value.GetString()!)).ToList();
        Assert.Contains(endpoints, endpoint => endpoint.Name == "token_endpoint");
        Assert.All(endpoints, endpoint => Assert.StartsWith("https://platform.example.test/", endpoint.Url, StringComparison.Ordinal));
    }

    private static async Task<HttpStatusCode> MeAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/identity/me");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
