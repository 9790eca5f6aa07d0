using System.Net;
using System.Net.Http.Json;
using Identity.Api.Apis;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Identity.Tests;

public sealed class ClientAndRefreshTokenTests(MessagingServers servers)
{
    [Fact]
    public async Task Refresh_token_rotates_and_reusing_a_rotated_one_revokes_the_whole_family()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);
        var signIn = await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password);
        Assert.True(signIn.IsSuccess, signIn.Raw);

        var rotated = await app.RefreshAsync(signIn.RefreshToken!);
        Assert.True(rotated.IsSuccess, rotated.Raw);
        Assert.NotEqual(signIn.RefreshToken, rotated.RefreshToken);

        // OpenIddict 7 by default: rolling refresh tokens, a redeemed one accepted again only within a 30 s
        // leeway (concurrent requests); after it, presenting it revokes every token of its authorization.
        app.Time.Advance(TimeSpan.FromSeconds(31));
        var reused = await app.RefreshAsync(signIn.RefreshToken!);
        Assert.Equal(400, reused.Status);
        Assert.Equal("invalid_grant", reused.Error);

        var familyMember = await app.RefreshAsync(rotated.RefreshToken!);
        Assert.Equal(400, familyMember.Status);
        Assert.Equal("invalid_grant", familyMember.Error);

        // The user may sign in again: only the family is gone.
        Assert.True((await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).IsSuccess);
    }

    [Fact]
    public async Task Refresh_token_stops_working_after_a_password_change()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);
        var signIn = await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", signIn.AccessToken);

        using var change = await client.PostAsJsonAsync("/api/identity/password/change",
            new { currentPassword = IdentityApp.Password, newPassword = "a brand new passphrase 2026" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);

        var refreshed = await app.RefreshAsync(signIn.RefreshToken!);
        Assert.Equal("invalid_grant", refreshed.Error);
        // Says why, so a client can tell the person their password changed rather than "the token is no longer valid".
        Assert.Equal("credential_changed", refreshed.Code);
    }

    [Fact]
    public async Task Client_credentials_give_a_system_client_a_token_bound_to_its_practice()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        await app.CreateUserAsync("manager@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        using var manager = await app.ClientForAsync("manager@a81001.test");

        using var created = await manager.PostCreatingAsync("/api/identity/practices/A81001/clients", new { displayName = "EMIS extract uploader" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secret = (await created.Content.ReadFromJsonAsync<PracticesApi.ClientSecret>())!;
        var clientId = secret.ClientId;

        var token = await app.ClientCredentialsAsync(clientId, secret.ClientSecretValue);

        Assert.True(token.IsSuccess, token.Raw);
        Assert.Null(token.RefreshToken);
        var claims = JwtPayload.Read(token.AccessToken!);
        Assert.Equal(clientId, claims.GetProperty("sub").GetString());
        Assert.Equal("A81001", claims.GetProperty("practice").GetString());
        Assert.Equal(PlatformRoles.SystemClient, claims.GetProperty("role").GetString());
        Assert.Equal("platform-api", claims.GetProperty("aud").GetString());

        var wrongSecret = await app.ClientCredentialsAsync(clientId, "not-the-secret");
        Assert.Equal("invalid_client", wrongSecret.Error);
    }

    [Fact]
    public async Task Expired_client_secret_is_refused_with_invalid_client_saying_why_until_it_is_rotated()
    {
        // The manager's password must outlive the client secret here.
        await using var app = await IdentityApp.StartAsync(servers, new() { ["Identity:Credentials:PasswordLifetime"] = "400.00:00:00" });
        await app.RegisterPracticeAsync("A81001");
        await app.CreateUserAsync("manager@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        using var manager = await app.ClientForAsync("manager@a81001.test");
        using var created = await manager.PostCreatingAsync("/api/identity/practices/A81001/clients", new { displayName = "Uploader" });
        var secret = (await created.Content.ReadFromJsonAsync<PracticesApi.ClientSecret>())!;
        var clientId = secret.ClientId;

        app.Time.Advance(TimeSpan.FromDays(366));
        var expired = await app.ClientCredentialsAsync(clientId, secret.ClientSecretValue);

        Assert.Equal(401, expired.Status);
        Assert.Equal("invalid_client", expired.Error);
        Assert.Equal("client_secret_expired", expired.Code);
        Assert.Contains("client secret expired", expired.ErrorDescription);

        using var admin = await app.ClientForAsync("manager@a81001.test"); // a fresh token at the new time
        using var rotated = await admin.PostAsync($"/api/identity/practices/A81001/clients/{clientId}/secret", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var fresh = (await rotated.Content.ReadFromJsonAsync<PracticesApi.ClientSecret>())!;
        Assert.Equal(2, fresh.SecretVersion);
        Assert.True((await app.ClientCredentialsAsync(clientId, fresh.ClientSecretValue)).IsSuccess);
        Assert.Equal("invalid_client", (await app.ClientCredentialsAsync(clientId, secret.ClientSecretValue)).Error);
    }

    [Fact]
    public async Task A_response_carrying_a_client_secret_is_never_stored_by_a_cache()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        await app.CreateUserAsync("manager@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        using var manager = await app.ClientForAsync("manager@a81001.test");

        using var created = await manager.PostCreatingAsync("/api/identity/practices/A81001/clients", new { displayName = "Uploader" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(created.Headers.CacheControl?.NoStore, "Creating a client answered its secret without Cache-Control: no-store.");
        var clientId = (await created.Content.ReadFromJsonAsync<PracticesApi.ClientSecret>())!.ClientId;

        using var rotated = await manager.PostAsync($"/api/identity/practices/A81001/clients/{clientId}/secret", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.True(rotated.Headers.CacheControl?.NoStore, "Rotating a secret answered it without Cache-Control: no-store.");
    }
}
