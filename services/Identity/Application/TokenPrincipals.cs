using System.Security.Claims;
using Identity.Api.Domain;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Platform.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Api.Application;

/// <summary>Builds the identities OpenIddict turns into tokens: who, which role, and which practice or ICB.</summary>
public sealed class TokenPrincipals(IOptions<TokenServerOptions> options)
{
    /// <summary>The scope that grants calling the platform's API (the access token's audience).</summary>
    public const string ApiScope = "platform-api";

    public static readonly IReadOnlySet<string> AllowedScopes = new HashSet<string>(StringComparer.Ordinal)
    {
        Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess, ApiScope,
    };

    public ClaimsPrincipal ForUser(PlatformUser user, IEnumerable<string> requestedScopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaims(Claims.Role, [user.Role])
            .SetClaim(ClaimNames.CredentialVersion, user.CredentialVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .SetClaim(AuthenticationDefaults.Claims.Session, TokenRevocations.TagOf(user.SecurityStamp ?? ""));
        if (user.Role is PlatformRoles.PracticeUser or PlatformRoles.PracticeAdmin && user.PracticeOds is not null)
        {
            identity.SetClaim(ClaimNames.Practice, user.PracticeOds);
        }
        else if (user.Role is PlatformRoles.Commissioner && user.Icb is not null)
        {
            identity.SetClaim(ClaimNames.Icb, user.Icb);
        }

        return Finish(identity, requestedScopes);
    }

    public ClaimsPrincipal ForSystemClient(SystemClient client, IEnumerable<string> requestedScopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, client.ClientId)
            .SetClaim(Claims.Name, client.DisplayName)
            .SetClaims(Claims.Role, [PlatformRoles.SystemClient])
            .SetClaim(ClaimNames.Practice, client.PracticeOds);
        return Finish(identity, requestedScopes.Where(scope => scope != Scopes.OfflineAccess));
    }

    private static ClaimsIdentity NewIdentity() =>
        new(authenticationType: "Platform", nameType: Claims.Name, roleType: Claims.Role);

    private ClaimsPrincipal Finish(ClaimsIdentity identity, IEnumerable<string> requestedScopes)
    {
        var scopes = requestedScopes.Where(AllowedScopes.Contains).Distinct().ToList();
        identity.SetScopes(scopes);
        // The API's audience only with its scope: a token asked for "openid offline_access" alone calls nothing.
        if (scopes.Contains(ApiScope)) identity.SetResources(options.Value.Audience);
        identity.SetDestinations(DestinationsOf);
        return new ClaimsPrincipal(identity);
    }

    private static IEnumerable<string> DestinationsOf(Claim claim) => claim.Type switch
    {
        // Kept in refresh tokens only (they carry every claim): a password change ends them.
        ClaimNames.CredentialVersion => [],
        Claims.Name or Claims.Email or Claims.PreferredUsername or Claims.Role or ClaimNames.Practice or ClaimNames.Icb
            => [Destinations.AccessToken, Destinations.IdentityToken],
        _ => [Destinations.AccessToken],
    };
}
