using System.Security.Cryptography;
using System.Text;

namespace Identity.Api.Domain;

/// <summary>Random single-use secrets (reset and invitation tokens, client secrets) and the hashes stored for them.</summary>
public static class OneTimeSecret
{
    /// <summary>256 random bits, base64url.</summary>
    public static string Create() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
