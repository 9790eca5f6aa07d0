using System.Security.Claims;
using System.Text.Json;
using Platform.ServiceDefaults;

namespace Portal.Authentication;

/// <summary>The session's identity, read from the claims the platform's access tokens carry (<see cref="AuthenticationDefaults.Claims"/>).</summary>
public static class PortalClaims
{
    private static readonly string[] Kept =
        [AuthenticationDefaults.Claims.Subject, AuthenticationDefaults.Claims.Name, AuthenticationDefaults.Claims.Email,
         AuthenticationDefaults.Claims.Role, AuthenticationDefaults.Claims.Practice, AuthenticationDefaults.Claims.Icb];

    /// <summary>
    /// The identity in an access token the portal has just received from Identity's token endpoint over the back channel
    /// (never from the browser). Its signature is not checked here: every API validates the token on each call.
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
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "platform", AuthenticationDefaults.Claims.Name, AuthenticationDefaults.Claims.Role));
    }

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirst(AuthenticationDefaults.Claims.Name)?.Value ?? user.FindFirst(AuthenticationDefaults.Claims.Email)?.Value ?? "";

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        return Convert.FromBase64String(padded);
    }
}
