using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Identity.Api.Application;

/// <summary>
/// Proof, for the sign-in page's "your password has expired" form, that the person just entered the right (expired)
/// password: a data-protected, HTTP-only cookie holding the user id and credential version, valid 10 minutes. It never
/// holds the password. A changed password (new credential version) makes it worthless.
/// </summary>
public sealed class ExpiredPasswordProof(IDataProtectionProvider protection, TimeProvider time)
{
    public const string CookieName = "Identity.ExpiredPassword";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly IDataProtector protector = protection.CreateProtector("Identity.Login.ExpiredPasswordProof.v1");

    public void Issue(HttpContext http, Guid userId, int credentialVersion)
    {
        var expiresAt = time.GetUtcNow() + Lifetime;
        var payload = string.Create(CultureInfo.InvariantCulture, $"{userId:N}|{credentialVersion}|{expiresAt.ToUnixTimeSeconds()}");
        http.Response.Cookies.Append(CookieName, protector.Protect(payload), Options(http, expiresAt));
    }

    /// <summary>The user and credential version the cookie vouches for, or null when it is missing, tampered with or too old.</summary>
    public (Guid UserId, int CredentialVersion)? Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        string payload;
        try
        {
            payload = protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('|');
        return parts.Length == 3
            && Guid.TryParseExact(parts[0], "N", out var userId)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && DateTimeOffset.FromUnixTimeSeconds(expires) > time.GetUtcNow()
                ? (userId, version)
                : null;
    }

    public void Clear(HttpContext http) => http.Response.Cookies.Delete(CookieName, Options(http, null));

    private static CookieOptions Options(HttpContext http, DateTimeOffset? expiresAt) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/connect/login",
        Expires = expiresAt,
        IsEssential = true,
    };
}
