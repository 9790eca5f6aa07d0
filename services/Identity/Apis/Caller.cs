using System.Security.Claims;
using Identity.Api.Domain;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Api.Apis;

/// <summary>Who is calling, from the access token.</summary>
internal static class Caller
{
    public static Guid? UserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.GetClaim(Claims.Subject), out var id) ? id : null;

    public static bool IsPlatformAdmin(this ClaimsPrincipal principal) => principal.HasClaim(Claims.Role, Roles.PlatformAdmin);

    /// <summary>Whether the caller may see this practice at all (its own practice, or a platform admin).</summary>
    public static bool CanSee(this ClaimsPrincipal principal, string ods) =>
        principal.IsPlatformAdmin() || string.Equals(principal.GetClaim(ClaimNames.Practice), ods, StringComparison.Ordinal);

    /// <summary>Whether the caller administers this practice.</summary>
    public static bool Administers(this ClaimsPrincipal principal, string ods) =>
        principal.IsPlatformAdmin()
        || (principal.HasClaim(Claims.Role, Roles.PracticeAdmin) && string.Equals(principal.GetClaim(ClaimNames.Practice), ods, StringComparison.Ordinal));
}
