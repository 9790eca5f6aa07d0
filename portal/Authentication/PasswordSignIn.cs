using Microsoft.AspNetCore.Authentication;

namespace Portal.Authentication;

/// <summary>
/// Signs a person into the portal with the password they have just chosen (after a reset or an invitation), so the
/// flow ends signed in rather than at another sign-in page.
/// </summary>
public sealed class PasswordSignIn(IdentityBackchannel identity, IHttpContextAccessor http, TimeProvider time)
{
    /// <summary>True when signed in; false when Identity refused (the person can still sign in from the home page).</summary>
    public async Task<bool> SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        var (tokens, _) = await identity.RequestTokensAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = email,
            ["password"] = password,
            ["scope"] = PortalAuthentication.Scopes,
        }, cancellationToken);
        if (tokens is null) return false;

        var properties = new AuthenticationProperties { IsPersistent = false }.WithTokens(tokens, time);
        await http.HttpContext!.SignInAsync(PortalAuthentication.CookieScheme, PortalClaims.FromAccessToken(tokens.AccessToken), properties);
        return true;
    }
}
