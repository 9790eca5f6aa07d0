using System.Security.Claims;
using Claims = Platform.ServiceDefaults.AuthenticationDefaults.Claims;
using PlatformRoles = Platform.ServiceDefaults.AuthenticationDefaults.Roles;

namespace Notifications.Api.Apis;

/// <summary>
/// Who is calling, read from the access token's claims: <c>sub</c> (the user id), <c>role</c>, and <c>practice</c> or
/// <c>icb</c>. Endpoints build it with <see cref="From"/>; nothing else in the service reads claims.
/// </summary>
public sealed record Caller(Guid UserId, IReadOnlyList<string> Roles, string? PracticeOds, string? Icb)
{
    public bool IsPlatformAdmin => Roles.Contains(PlatformRoles.PlatformAdmin, StringComparer.Ordinal);

    /// <summary>The caller, or null for a token whose subject is not a user id (a system client has no inbox).</summary>
    public static Caller? From(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirst(Claims.Subject)?.Value, out var userId)
            ? new Caller(userId, [.. principal.FindAll(Claims.Role).Select(claim => claim.Value)],
                principal.FindFirst(Claims.Practice)?.Value, principal.FindFirst(Claims.Icb)?.Value)
            : null;
}
