using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Portal.Authentication;

/// <summary>
/// Keeps the session's access token fresh: on each request, when it runs out within a minute, the refresh token buys a new
/// pair and the cookie is rewritten. When Identity refuses (the password was changed, the account disabled, the refresh
/// token expired), the session ends and the next page that needs it signs the person in again.
/// </summary>
public sealed class TokenRefresher(IdentityBackchannel identity, TimeProvider time, ILogger<TokenRefresher> logger)
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    public async Task RefreshIfDueAsync(CookieValidatePrincipalContext context)
    {
        var expiresAt = context.Properties.GetTokenValue("expires_at");
        if (expiresAt is null
            || !DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
            || expires - Margin > time.GetUtcNow())
        {
            return;
        }

        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        var (tokens, error) = refreshToken is null
            ? (null, new TokenError("invalid_grant", "no_refresh_token", null))
            : await identity.RequestTokensAsync(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
            }, context.HttpContext.RequestAborted);
        if (tokens is null)
        {
            logger.LogInformation("The session ended: its tokens could not be refreshed ({Code}).", error?.Code ?? error?.Error);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.Properties.WithTokens(tokens with { RefreshToken = tokens.RefreshToken ?? refreshToken }, time);
        context.ReplacePrincipal(PortalClaims.FromAccessToken(tokens.AccessToken));
        context.ShouldRenew = true;
    }
}
