using System.Globalization;
using System.Net;
using System.Security.Claims;
using Identity.Api.Services;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Api.Apis;

/// <summary>
/// The plain sign-in page behind <c>/connect/authorize</c> (authorization code + PKCE for browser and third-party
/// apps). It signs the person into a short-lived Identity cookie, then sends them back to the authorize request.
/// </summary>
public static class LoginApi
{
    public const string Scheme = "Identity.Login";
    public const string LoginPath = "/connect/login"; // under /connect so the gateway's identity route covers it

    public static RouteGroupBuilder MapLoginApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/connect").ExcludeFromDescription();
        group.MapGet("/login", ShowAsync);
        group.MapPost("/login", SubmitAsync).DisableAntiforgery(); // validated explicitly below, with a clear error
        return group;
    }

    private static IResult ShowAsync(HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
        Page(http, antiforgery, SafeReturnUrl(returnUrl), userName: null, error: null);

    private static async Task<IResult> SubmitAsync(HttpContext http, IAntiforgery antiforgery, SignInChecker signIn, TimeProvider time, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var returnUrl = SafeReturnUrl(form["returnUrl"]);
        var userName = form["username"].ToString();
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Page(http, antiforgery, returnUrl, userName, "The form expired; please try again.", StatusCodes.Status400BadRequest);
        }

        var check = await signIn.CheckAsync(userName, form["password"], cancellationToken);
        var error = check switch
        {
            SignInCheck.Locked locked => $"The account is locked after too many failed sign-ins; try again after {locked.UnlockAt.ToString("u", CultureInfo.InvariantCulture)}, or reset the password.",
            SignInCheck.Disabled => "The account is disabled.",
            SignInCheck.InvalidCredentials => "The username or password is incorrect.",
            SignInCheck.Success { User.PasswordExpiresAt: { } expiresAt } when expiresAt <= time.GetUtcNow() =>
                $"Your password expired on {expiresAt.ToString("u", CultureInfo.InvariantCulture)}. Choose a new one with POST {ConnectApi.ChangeExpiredPasswordPath}, then sign in again.",
            _ => null,
        };
        if (error is not null)
        {
            return Page(http, antiforgery, returnUrl, userName, error, StatusCodes.Status400BadRequest);
        }

        var user = ((SignInCheck.Success)check).User;
        var identity = new ClaimsIdentity([new Claim(Claims.Subject, user.Id.ToString())], Scheme);
        await http.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties
        {
            IsPersistent = false,
            ExpiresUtc = time.GetUtcNow().AddMinutes(10), // only long enough to finish the authorize request
        });
        return Results.Redirect(returnUrl);
    }

    /// <summary>Only local authorize URLs: the page never redirects anywhere else.</summary>
    private static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith("/connect/authorize", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            ? url
            : "/connect/authorize";

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, string returnUrl, string? userName, string? error, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        static string E(string? value) => WebUtility.HtmlEncode(value ?? "");
        var message = error is null ? "" : $"""<p role="alert" class="error">{E(error)}</p>""";
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in</title>
            <style>body{"{"}font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem{"}"}label,input,button{"{"}display:block;width:100%;margin:.4rem 0{"}"}input{"{"}padding:.5rem{"}"}button{"{"}padding:.6rem{"}"}.error{"{"}color:#b00020{"}"}</style></head>
            <body>
            <h1>Sign in</h1>
            {message}
            <form method="post" action="{LoginPath}">
            <input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken)}">
            <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
            <label for="username">Email</label><input id="username" name="username" type="email" autocomplete="username" required value="{E(userName)}">
            <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Sign in</button>
            </form>
            <p>Forgotten your password? Ask for a reset link in the practice portal.</p>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
