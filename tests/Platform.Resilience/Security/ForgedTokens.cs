using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Resilience.Running;

namespace Platform.Resilience.Security;

/// <summary>
/// Access tokens made by hand from a real one: its header and claims, re-signed with the identity service's own signing
/// key (read from its database: the test plays an insider who holds the key) after exactly one change - so a refusal
/// is caused by that change and nothing else. <see cref="Resigned"/> changes nothing and must be accepted everywhere.
/// </summary>
public sealed class ForgedTokens(string realToken, RSA signingKey)
{
    private static readonly RSA OtherKey = RSA.Create(2048);

    public static async Task<ForgedTokens> FromAsync(ResiliencePlatform platform, string realToken, CancellationToken cancellationToken)
    {
        var kid = Header(realToken)["kid"]?.GetValue<string>();
        await using var command = platform.Database("identitydb").CreateCommand("SELECT pkcs12 FROM server_keys WHERE use = 'signing'");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var candidates = new List<RSA>();
        while (await reader.ReadAsync(cancellationToken))
        {
            using var certificate = X509CertificateLoader.LoadPkcs12(reader.GetFieldValue<byte[]>(0), null, X509KeyStorageFlags.EphemeralKeySet);
            candidates.Add(certificate.GetRSAPrivateKey()!);
        }

        // The key that signed the real token is the one whose signature verifies.
        var (signed, signature) = Split(realToken);
        var key = candidates.FirstOrDefault(rsa => rsa.VerifyData(Encoding.ASCII.GetBytes(signed), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            ?? throw new InvalidOperationException($"No signing key in server_keys verifies the token (kid {kid}).");
        return new ForgedTokens(realToken, key);
    }

    /// <summary>The same header and claims, signed again with the real key: accepted, or the forgery tests prove nothing.</summary>
    public string Resigned() => Sign(Header(realToken), Claims(realToken), signingKey);

    public string Expired()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return WithClaims(claims => { claims["iat"] = now - 3600; claims["nbf"] = now - 3600; claims["exp"] = now - 600; });
    }

    public string NotYetValid()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return WithClaims(claims => { claims["iat"] = now + 600; claims["nbf"] = now + 600; claims["exp"] = now + 1800; });
    }

    public string ForAnotherAudience() => WithClaims(claims => claims["aud"] = "another-api");

    public string FromAnotherIssuer() => WithClaims(claims => claims["iss"] = "https://identity.attacker.test/");

    /// <summary>Signed with a key the platform never issued, under the real key's id.</summary>
    public string SignedWithAnotherKey() => Sign(Header(realToken), Claims(realToken), OtherKey);

    public string AlgNone()
    {
        var header = Header(realToken);
        header["alg"] = "none";
        return $"{Encode(header)}.{Encode(Claims(realToken))}.";
    }

    /// <summary>HS256 with the public key's bytes as the shared secret: the classic algorithm-confusion forgery.</summary>
    public string HmacWithThePublicKey()
    {
        var header = Header(realToken);
        header["alg"] = "HS256";
        var signed = $"{Encode(header)}.{Encode(Claims(realToken))}";
        var secret = signingKey.ExportSubjectPublicKeyInfo();
        return $"{signed}.{Base64Url(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signed)))}";
    }

    /// <summary>A claim edited (e.g. role made platform-admin) and the original signature kept.</summary>
    public string EditedKeepingTheSignature(Action<JsonObject> edit)
    {
        var claims = Claims(realToken);
        edit(claims);
        var (_, signature) = Split(realToken);
        return $"{realToken.Split('.')[0]}.{Encode(claims)}.{Base64Url(signature)}";
    }

    private string WithClaims(Action<JsonObject> change)
    {
        var claims = Claims(realToken);
        change(claims);
        return Sign(Header(realToken), claims, signingKey);
    }

    private static string Sign(JsonObject header, JsonObject claims, RSA key)
    {
        var signed = $"{Encode(header)}.{Encode(claims)}";
        return $"{signed}.{Base64Url(key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))}";
    }

    private static JsonObject Header(string token) => Decode(token.Split('.')[0]);

    public static JsonObject Claims(string token) => Decode(token.Split('.')[1]);

    private static (string Signed, byte[] Signature) Split(string token)
    {
        var parts = token.Split('.');
        return ($"{parts[0]}.{parts[1]}", FromBase64Url(parts[2]));
    }

    private static JsonObject Decode(string part) => JsonNode.Parse(FromBase64Url(part))!.AsObject();

    private static string Encode(JsonObject json) => Base64Url(Encoding.UTF8.GetBytes(json.ToJsonString()));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }
}
