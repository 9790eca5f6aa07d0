using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
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
