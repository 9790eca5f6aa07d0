using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Identity.Tests;

/// <summary>Identity's own API (OpenIddict validation) refuses what every other resource server refuses.</summary>
public sealed class OwnApiTokenTests(MessagingServers servers)
{
    [Fact]
    public async Task Its_own_api_refuses_a_token_that_is_not_valid_yet()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test");
        var token = (await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).AccessToken!;
        var pkcs12 = await app.InDbAsync(db => db.ServerKeys.Where(key => key.Use == "signing").Select(key => key.Pkcs12).FirstAsync());
        using var certificate = X509CertificateLoader.LoadPkcs12(pkcs12, null, X509KeyStorageFlags.EphemeralKeySet);
        using var key = certificate.GetRSAPrivateKey()!;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // Re-signed with the service's own key: unchanged it is accepted, valid only from ten minutes on it is not.
        var unchanged = Resign(token, key, _ => { });
        var notYetValid = Resign(token, key, claims => { claims["nbf"] = now + 600; claims["exp"] = now + 1800; });

        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, unchanged));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, notYetValid));
    }

    [Fact]
    public async Task A_disabled_practice_admins_earlier_token_can_no_longer_invite_or_create_clients()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        var admin = await app.CreateUserAsync("admin@a81001.test", PlatformRoles.PracticeAdmin);
        await app.CreateUserAsync("platform@platform.test", PlatformRoles.PlatformAdmin, ods: null);
        var token = (await app.PasswordGrantAsync("admin@a81001.test", IdentityApp.Password)).AccessToken!;
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, token));

        using var platform = await app.ClientForAsync("platform@platform.test");
        var disabled = await platform.PostAsync($"/api/identity/practices/A81001/users/{admin.Id}/disable", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);

        using var invite = new HttpRequestMessage(HttpMethod.Post, "/api/identity/practices/A81001/users")
        {
            Content = JsonContent.Create(new { email = "second.admin@a81001.test", displayName = "Second Admin", role = "practice-admin" }),
        };
        invite.Headers.Authorization = new("Bearer", token);
        invite.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var invited = await client.SendAsync(invite, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, invited.StatusCode);
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/identity/practices/A81001/clients") { Content = JsonContent.Create(new { displayName = "Back door" }) };
        create.Headers.Authorization = new("Bearer", token);
        create.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var created = await client.SendAsync(create, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, created.StatusCode);
        Assert.Equal(0, await app.InDbAsync(db => db.SystemClients.CountAsync()));
        Assert.Equal(2, await app.InDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task A_practice_admin_signs_a_user_out_everywhere_and_only_their_own_practice_users()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        await app.RegisterPracticeAsync("B82002");
        await app.CreateUserAsync("admin@a81001.test", PlatformRoles.PracticeAdmin);
        await app.CreateUserAsync("admin@b82002.test", PlatformRoles.PracticeAdmin, "B82002");
        var user = await app.CreateUserAsync("user@a81001.test");
        var earlier = await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password);
        using var admin = await app.ClientForAsync("admin@a81001.test");
        using var otherAdmin = await app.ClientForAsync("admin@b82002.test");
        using var self = await app.ClientForAsync("user@a81001.test");
        using var client = app.CreateClient();
        var path = $"/api/identity/practices/A81001/users/{user.Id}/sign-out";

        using var fromOtherPractice = await otherAdmin.PostAsync(path, null, TestContext.Current.CancellationToken);
        using var fromTheUser = await self.PostAsync(path, null, TestContext.Current.CancellationToken);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.Forbidden), (fromOtherPractice.StatusCode, fromTheUser.StatusCode));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, earlier.AccessToken!));

        using var signedOut = await admin.PostAsync(path, null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, earlier.AccessToken!));
        Assert.False((await app.RefreshAsync(earlier.RefreshToken!)).IsSuccess);
        Assert.True((await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).IsSuccess); // the password still works
    }

    [Fact]
    public async Task After_a_password_change_the_earlier_token_is_refused_with_session_ended_and_a_new_sign_in_works_at_once()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test");
        var earlier = (await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).AccessToken!;

        using var client = app.CreateClient();
        using var change = new HttpRequestMessage(HttpMethod.Post, "/api/identity/password/change")
        {
            Content = JsonContent.Create(new { currentPassword = IdentityApp.Password, newPassword = "a brand new orchard passphrase" }),
        };
        change.Headers.Authorization = new("Bearer", earlier);
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(change, TestContext.Current.CancellationToken)).StatusCode);

        using var refused = new HttpRequestMessage(HttpMethod.Get, "/api/identity/me");
        refused.Headers.Authorization = new("Bearer", earlier);
        using var response = await client.SendAsync(refused, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("session has ended", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        // The clock has not moved since the change: the new sign-in's token is accepted all the same.
        var fresh = (await app.PasswordGrantAsync("user@a81001.test", "a brand new orchard passphrase")).AccessToken!;
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, fresh));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/identity/me");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private static string Resign(string token, RSA key, Action<JsonObject> change)
    {
        var parts = token.Split('.');
        var claims = JsonNode.Parse(Decode(parts[1]))!.AsObject();
        change(claims);
        var signed = $"{parts[0]}.{Encode(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        return $"{signed}.{Encode(key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
    }

    private static byte[] Decode(string part)
    {
        var padded = part.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
