using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Portal.Authentication;

/// <summary><c>/signin</c> starts the OpenID Connect sign-in (back to a local page afterwards); <c>POST /signout</c> ends the session.</summary>
public static class SignInEndpoints
{
    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", (string? returnUrl) =>
            TypedResults.Challenge(new AuthenticationProperties { RedirectUri = LocalUrl(returnUrl) }, [PortalAuthentication.OidcScheme]));
        app.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context)) return TypedResults.Redirect("/");
            await context.SignOutAsync(PortalAuthentication.CookieScheme);
            return TypedResults.Redirect("/signed-out");
        });
        return app;
    }

    /// <summary>Only a path on this site: never an open redirect.</summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
