using System.Security.Claims;
using System.Text.Json;

namespace Portal.Authentication;

/// <summary>The claims the platform's access tokens carry, read into the session's identity.</summary>
public static class PortalClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Email = "email";
    public const string Role = "role";
    public const string Practice = "practice";
    public const string Icb = "icb";

    public const string PracticeUser = "practice-user";
    public const string PracticeAdmin = "practice-admin";
    public const string Commissioner = "commissioner";
    public const string PlatformAdmin = "platform-admin";

    private static readonly string[] Kept = [Subject, Name, Email, Role, Practice, Icb];

    /// <summary>
    /// The identity in an access token the portal has just received from Identity's token endpoint (over the back channel,
    /// so its signature has been checked by the issuer's own TLS/transport, and every API checks it again on each call).
    /// </summary>
    public static ClaimsPrincipal FromAccessToken(string accessToken)
    {
        var parts = accessToken.Split('.');
        if (parts.Length != 3) throw new InvalidOperationException("The access token is not a JWT.");
        using var payload = JsonDocument.Parse(Base64UrlDecode(parts[1]));
        var claims = new List<Claim>();
        foreach (var property in payload.RootElement.EnumerateObject().Where(property => Kept.Contains(property.Name)))
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                claims.AddRange(property.Value.EnumerateArray().Select(value => new Claim(property.Name, value.ToString())));
            }
            else
            {
                claims.Add(new Claim(property.Name, property.Value.ToString()));
            }
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "platform", Name, Role));
    }

    public static string? PracticeOds(this ClaimsPrincipal user) => user.FindFirst(Practice)?.Value;

    public static string? IcbCode(this ClaimsPrincipal user) => user.FindFirst(Icb)?.Value;

    public static string DisplayName(this ClaimsPrincipal user) => user.FindFirst(Name)?.Value ?? user.FindFirst(Email)?.Value ?? "";

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        return Convert.FromBase64String(padded);
    }
}
