using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Platform.ServiceDefaults;

/// <summary>
/// Who is calling, read once from the access token's claims (<c>sub</c>, <c>role</c>, <c>practice</c> or <c>icb</c>, and the
/// display <c>name</c> where the token has one).
/// Every query is scoped through it: another tenant's resource is answered as not found.
/// Bound as an endpoint parameter.
/// </summary>
public sealed record Caller(string? UserId, IReadOnlySet<string> Roles, string? PracticeOds, string? Icb)
{
    /// <summary>The person's display name (the token's <c>name</c> claim), for showing who did something; null when absent.</summary>
    public string? Name { get; init; }

    public bool IsAuthenticated => UserId is not null;

    /// <summary>The subject as a person's user id; null for a system client (its subject is its client id) or no token.</summary>
    public Guid? UserGuid => Guid.TryParse(UserId, out var id) ? id : null;

    public bool IsPlatformAdmin => Roles.Contains(PlatformRoles.PlatformAdmin);

    public bool IsCommissioner => Roles.Contains(PlatformRoles.Commissioner) && Icb is not null;

    /// <summary>A person or system client acting for one practice.</summary>
    public bool ActsForPractice => PracticeOds is not null
        && (Roles.Contains(PlatformRoles.PracticeUser) || Roles.Contains(PlatformRoles.PracticeAdmin) || Roles.Contains(PlatformRoles.SystemClient));

    /// <summary>Whether the caller may see this practice at all (its own practice, or a platform admin).</summary>
    public bool CanSeePractice(string ods) => IsPlatformAdmin || string.Equals(PracticeOds, ods, StringComparison.Ordinal);

    /// <summary>Whether the caller administers this practice (its practice admin, or a platform admin).</summary>
    public bool AdministersPractice(string ods) =>
        IsPlatformAdmin || (Roles.Contains(PlatformRoles.PracticeAdmin) && string.Equals(PracticeOds, ods, StringComparison.Ordinal));

    public static Caller From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return Anonymous;
        string? First(params string[] types) => types.Select(user.FindFirstValue).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        var roles = user.Claims.Where(c => c.Type is AuthenticationDefaults.Claims.Role or ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new Caller(First(AuthenticationDefaults.Claims.Subject, ClaimTypes.NameIdentifier), roles,
            First(AuthenticationDefaults.Claims.Practice), First(AuthenticationDefaults.Claims.Icb))
        {
            Name = First(AuthenticationDefaults.Claims.Name),
        };
    }

    public static readonly Caller Anonymous = new(null, new HashSet<string>(), null, null);

    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult<Caller?>(From(context.User));
}
