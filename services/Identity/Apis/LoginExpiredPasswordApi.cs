using Identity.Api.Application;
using Identity.Api.Data;
using Identity.Api.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Contracts.Identity;

namespace Identity.Api.Apis;

/// <summary>
/// The sign-in page's "your password has expired" form. Reached only with <see cref="ExpiredPasswordProof"/> (the right
/// expired password was just entered); the new password follows the usual rules, older sessions end, and the person is
/// signed in and sent on to the authorize request.
/// </summary>
public static class LoginExpiredPasswordApi
{
    public const string Path = "/connect/login/expired-password";

    public static void MapExpiredPasswordForm(this RouteGroupBuilder group)
    {
        group.MapGet("/login/expired-password", Show);
        group.MapPost("/login/expired-password", SubmitAsync).DisableAntiforgery(); // validated explicitly below
    }

    private static Results<RedirectHttpResult, ContentHttpResult> Show(
        HttpContext http, IAntiforgery antiforgery, ExpiredPasswordProof proof, IOptions<CredentialOptions> options, string? returnUrl)
    {
        var safeReturnUrl = LoginApi.SafeReturnUrl(returnUrl);
        return proof.Read(http) is null
            ? TypedResults.Redirect(LoginApi.LoginUrl(safeReturnUrl))
            : Render(http, antiforgery, options.Value, safeReturnUrl, new FormErrors());
    }

    private static async Task<Results<RedirectHttpResult, ContentHttpResult>> SubmitAsync(
        HttpContext http, IAntiforgery antiforgery, ExpiredPasswordProof proof, IdentityDbContext db, PasswordService passwords,
        IOptions<CredentialOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var returnUrl = LoginApi.SafeReturnUrl(form["returnUrl"]);
        var proven = proof.Read(http);
        var user = proven is { } who
            ? await db.Users.SingleOrDefaultAsync(candidate => candidate.Id == who.UserId && candidate.CredentialVersion == who.CredentialVersion, cancellationToken)
            : null;
        if (user is null || user.IsDisabled)
        {
            proof.Clear(http);
            return TypedResults.Redirect(LoginApi.LoginUrl(returnUrl)); // too late, or the password changed meanwhile: sign in again
        }

        var errors = new FormErrors();
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            errors.Add(ExpiredPasswordPage.NewPassword, "The page timed out. Enter your new password again.");
            return Render(http, antiforgery, options.Value, returnUrl, errors, StatusCodes.Status400BadRequest);
        }

        var newPassword = form[ExpiredPasswordPage.NewPassword].ToString();
        var confirmation = form[ExpiredPasswordPage.ConfirmPassword].ToString();
        if (newPassword.Length == 0) errors.Add(ExpiredPasswordPage.NewPassword, "Enter a new password");
        if (confirmation.Length == 0) errors.Add(ExpiredPasswordPage.ConfirmPassword, "Confirm your new password");
        else if (newPassword.Length > 0 && !string.Equals(newPassword, confirmation, StringComparison.Ordinal))
            errors.Add(ExpiredPasswordPage.ConfirmPassword, "The passwords do not match");
        if (!errors.Any)
        {
            foreach (var problem in await passwords.ChangePasswordAsync(user, newPassword, PasswordChangeMethods.ExpiredChange, cancellationToken))
            {
                errors.Add(ExpiredPasswordPage.NewPassword, problem.Message);
            }
        }

        if (errors.Any)
        {
            return Render(http, antiforgery, options.Value, returnUrl, errors, StatusCodes.Status400BadRequest);
        }

        await db.SaveChangesAsync(cancellationToken);
        // Sessions on the old password end by the new security stamp and credential version (see PasswordApi).
        proof.Clear(http);
        await LoginApi.SignInAsync(http, user, time);
        return TypedResults.Redirect(returnUrl);
    }

    private static ContentHttpResult Render(
        HttpContext http, IAntiforgery antiforgery, CredentialOptions options, string returnUrl, FormErrors errors, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return ExpiredPasswordPage.Render(Path, tokens.FormFieldName, tokens.RequestToken!, returnUrl,
            options.PasswordMinimumLength, options.PasswordHistory, errors, status);
    }
}
