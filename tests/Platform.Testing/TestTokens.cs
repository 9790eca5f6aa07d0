using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Testing;

/// <summary>
/// Real RS256 access tokens signed with a test key, and the JWT bearer options that trust that key instead of the identity
/// service's JWKS. The service or gateway under test validates them with its own AddPlatformAuthentication settings
/// (audience, lifetime, algorithm, type).
/// </summary>
public static class TestTokens
{
    public const string Issuer = "https://identity.test/";
    public const string Audience = "platform-api";
    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "test-key" };

    public static string PracticeUser(string ods, string? sub = null) => Mint(sub ?? $"user-{ods}", "practice-user", practice: ods);

    public static string SystemClient(string ods) => Mint($"client-{ods}", "system-client", practice: ods);

    public static string Commissioner(string icb, string? name = null) => Mint($"commissioner-{icb}", "commissioner", icb: icb, name: name);

    public static string PlatformAdmin() => Mint("admin", "platform-admin");

    public static string Mint(string sub, string role, string? practice = null, string? icb = null, string audience = Audience,
        DateTime? expires = null, SecurityKey? key = null, string algorithm = SecurityAlgorithms.RsaSha256, string? name = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = sub, ["role"] = role };
        if (name is not null) claims["name"] = name;
        if (practice is not null) claims["practice"] = practice;
        if (icb is not null) claims["icb"] = icb;
        var expiresAt = expires ?? DateTime.UtcNow.AddHours(1);
        // Issued two hours before it expires, so an already expired token is still a well-formed one.
        var issuedAt = expiresAt.AddHours(-2);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expiresAt,
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key ?? Key, algorithm),
        });
    }

    /// <summary>Trust the test key: a static configuration instead of discovery, everything else as the service set it.</summary>
    public static void TrustTestKey(IServiceCollection services) =>
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(Key);
            options.Configuration = configuration;
            options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            options.TokenValidationParameters.ValidIssuer = Issuer;
            options.TokenValidationParameters.IssuerSigningKey = Key;
        });
}
