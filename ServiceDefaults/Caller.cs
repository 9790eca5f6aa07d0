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
    private const string PracticeUser = AuthenticationDefaults.Roles.PracticeUser;
    private const string PracticeAdmin = AuthenticationDefaults.Roles.PracticeAdmin;
    private const string Commissioner = AuthenticationDefaults.Roles.Commissioner;
    private const string PlatformAdmin = AuthenticationDefaults.Roles.PlatformAdmin;
    private const string SystemClient = AuthenticationDefaults.Roles.SystemClient;

    /// <summary>The person's display name (the token's <c>name</c> claim), for showing who did something; null when absent.</summary>
    public string? Name { get; init; }

    public bool IsAuthenticated => UserId is not null;

    public bool IsPlatformAdmin => Roles.Contains(PlatformAdmin);

    public bool IsCommissioner => Roles.Contains(Commissioner) && Icb is not null;

    /// <summary>A person or system client acting for one practice.</summary>
    public bool ActsForPractice => PracticeOds is not null && (Roles.Contains(PracticeUser) || Roles.Contains(PracticeAdmin) || Roles.Contains(SystemClient));

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
