using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Identity.Api.Apis;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Identity.Tests;

public sealed class TokenEndpointTests(MessagingServers servers)
{
    [Fact]
    public async Task Password_grant_issues_a_signed_jwt_with_subject_role_practice_and_audience()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        var user = await app.CreateUserAsync("user@a81001.test");

        var token = await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password);

        Assert.True(token.IsSuccess, token.Raw);
        Assert.NotNull(token.RefreshToken);
        var header = JwtPayload.Header(token.AccessToken!);
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        var claims = JwtPayload.Read(token.AccessToken!);
        Assert.Equal(user.Id.ToString(), claims.GetProperty("sub").GetString());
        Assert.Equal(PlatformRoles.PracticeUser, claims.GetProperty("role").GetString());
        Assert.Equal("A81001", claims.GetProperty("practice").GetString());
        Assert.False(claims.TryGetProperty("icb", out _));
        Assert.Equal("platform-api", claims.GetProperty("aud").GetString());
        Assert.False(claims.TryGetProperty("cred_ver", out _));
    }

    [Fact]
    public async Task Commissioner_token_carries_the_icb_not_a_practice()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("commissioner@qwe.test", PlatformRoles.Commissioner, ods: null, icb: "QWE");

        var token = await app.PasswordGrantAsync("commissioner@qwe.test", IdentityApp.Password);

        Assert.True(token.IsSuccess, token.Raw);
        var claims = JwtPayload.Read(token.AccessToken!);
        Assert.Equal("QWE", claims.GetProperty("icb").GetString());
        Assert.False(claims.TryGetProperty("practice", out _));
    }

    [Fact]
    public async Task Discovery_and_jwks_are_published_and_the_signing_key_survives_a_restart()
    {
        var database = await servers.CreateDatabaseAsync("identity");
        string firstKid;
        await using (var first = await IdentityApp.StartAsync(servers, connectionString: database))
        {
            // The discovery document and the JWKS are OpenID Connect's own JSON: the test checks their standard member names.
            var discovery = await first.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
            Assert.EndsWith("/connect/token", discovery.GetProperty("token_endpoint").GetString());
            Assert.EndsWith("/.well-known/jwks", discovery.GetProperty("jwks_uri").GetString());
            var grants = discovery.GetProperty("grant_types_supported").EnumerateArray().Select(grant => grant.GetString()).ToList();
            Assert.Contains("password", grants);
            Assert.Contains("client_credentials", grants);
            Assert.Contains("refresh_token", grants);
            firstKid = await SigningKeyIdAsync(first);
        }

        await using var second = await IdentityApp.StartAsync(servers, connectionString: database);
        Assert.Equal(firstKid, await SigningKeyIdAsync(second));
    }

    [Fact]
    public async Task Wrong_password_is_invalid_grant_without_saying_which_part_was_wrong()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);

        var wrongPassword = await app.PasswordGrantAsync("user@a81001.test", "not the password at all");
        var unknownUser = await app.PasswordGrantAsync($"nobody-{Guid.NewGuid():N}@a81001.test", IdentityApp.Password);

        foreach (var response in new[] { wrongPassword, unknownUser })
        {
            Assert.Equal(400, response.Status);
            Assert.Equal("invalid_grant", response.Error);
            Assert.Equal("invalid_credentials", response.Code);
        }
    }

    [Fact]
    public async Task Me_returns_the_profile_with_password_expiry_and_days_left()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);
        app.Time.Advance(TimeSpan.FromDays(170));
        using var client = await app.ClientForAsync("user@a81001.test");

        var me = await client.GetFromJsonAsync<MeApi.Profile>("/api/identity/me");

        Assert.Equal("user@a81001.test", me!.Email);
        Assert.Equal(10, me.PasswordDaysLeft);
        Assert.True(me.PasswordExpiresSoon);
        Assert.Equal(app.Time.GetUtcNow().AddDays(10).UtcDateTime, me.PasswordExpiresAt!.Value.UtcDateTime, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Me_without_a_token_is_401_problem_details()
    {
        await using var app = await IdentityApp.StartAsync(servers);

        using var response = await app.CreateClient().GetAsync("/api/identity/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<string> SigningKeyIdAsync(IdentityApp app)
    {
        var jwks = await app.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/jwks");
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray(), key => key.GetProperty("use").GetString() == "sig");
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        return key.GetProperty("kid").GetString()!;
    }
}
