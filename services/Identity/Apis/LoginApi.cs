using System.Security.Claims;
using Identity.Api.Application;
using Identity.Api.Domain;
using Identity.Api.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Api.Apis;

/// <summary>
/// The sign-in page behind <c>/connect/authorize</c> (authorization code + PKCE for the practice portal and other
/// browser apps). It signs the person into a short-lived Identity cookie, then sends them back to the authorize request.
/// A locked or disabled account gets a page saying so; an expired password gets the form to choose a new one
/// (<see cref="LoginExpiredPasswordApi"/>). The HTML lives in <c>Pages/</c>.
/// </summary>
public static class LoginApi
{
    public const string Scheme = "Identity.Login";
    public const string LoginPath = "/connect/login"; // under /connect so the gateway's identity route covers it

    public static RouteGroupBuilder MapLoginApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/connect").ExcludeFromDescription();
        group.MapGet("/login", Show);
        group.MapPost("/login", SubmitAsync).DisableAntiforgery(); // validated explicitly below, with a clear error
        group.MapExpiredPasswordForm();
        return group;
    }

    private static ContentHttpResult Show(HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
        Render(http, antiforgery, SafeReturnUrl(returnUrl), userName: null, new FormErrors());

    private static async Task<Results<ContentHttpResult, RedirectHttpResult>> SubmitAsync(
        HttpContext http, IAntiforgery antiforgery, SignInChecker signIn, ExpiredPasswordProof proof, TimeProvider time, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var returnUrl = SafeReturnUrl(form["returnUrl"]);
        var userName = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        var errors = new FormErrors();
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            errors.Add("username", "The page timed out. Enter your email address and password again.");
            return Render(http, antiforgery, returnUrl, userName, errors, StatusCodes.Status400BadRequest);
        }

        if (userName.Length == 0) errors.Add("username", "Enter your email address");
        if (password.Length == 0) errors.Add("password", "Enter your password");
        if (errors.Any)
        {
            return Render(http, antiforgery, returnUrl, userName, errors, StatusCodes.Status400BadRequest);
        }

        switch (await signIn.CheckAsync(userName, password, cancellationToken))
        {
            case SignInCheck.Locked locked:
                return AccountLockedPage.Render(locked.UnlockAt, LoginUrl(returnUrl));
            case SignInCheck.Disabled:
                return AccountDisabledPage.Render();
            case SignInCheck.Success { User: var user } when user.PasswordExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow():
                proof.Issue(http, user.Id, user.CredentialVersion);
                return TypedResults.Redirect($"{LoginExpiredPasswordApi.Path}?returnUrl={Uri.EscapeDataString(returnUrl)}");
            case SignInCheck.Success { User: var user }:
                await SignInAsync(http, user, time);
                return TypedResults.Redirect(returnUrl);
            default:
                errors.Add("password", "The email address or password is incorrect");
                return Render(http, antiforgery, returnUrl, userName, errors, StatusCodes.Status400BadRequest);
        }
    }

    /// <summary>The short-lived login cookie the authorize endpoint reads.</summary>
    internal static Task SignInAsync(HttpContext http, PlatformUser user, TimeProvider time)
    {
        var identity = new ClaimsIdentity([new Claim(Claims.Subject, user.Id.ToString())], Scheme);
        return http.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties
        {
            IsPersistent = false,
            ExpiresUtc = time.GetUtcNow().AddMinutes(10), // only long enough to finish the authorize request
        });
    }

    internal static string LoginUrl(string returnUrl) => $"{LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    /// <summary>Only local authorize URLs: the page never redirects anywhere else.</summary>
    internal static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith("/connect/authorize", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            ? url
            : "/connect/authorize";

    private static ContentHttpResult Render(HttpContext http, IAntiforgery antiforgery, string returnUrl, string? userName, FormErrors errors, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return SignInPage.Render(LoginPath, tokens.FormFieldName, tokens.RequestToken!, returnUrl, userName, errors, status);
    }
}
