using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Notifications.Tests;

/// <summary>Real signed access tokens, as Identity issues them (RS256, <c>at+jwt</c>), from a key only the tests know.</summary>
public static class TestTokens
{
    public const string Issuer = "https://identity.test/";
    public const string Audience = "platform-api";

    public static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "notifications-tests" };

    public static string Issue(Guid userId, string role, string? practiceOds = null, string? icb = null, SecurityKey? key = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = userId.ToString(), ["role"] = role };
        if (practiceOds is not null) claims["practice"] = practiceOds;
        if (icb is not null) claims["icb"] = icb;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            TokenType = "at+jwt",
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow.AddSeconds(-5),
            Expires = DateTime.UtcNow.AddMinutes(15),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.RsaSha256),
        });
    }
}
