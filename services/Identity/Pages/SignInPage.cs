using Microsoft.AspNetCore.Http.HttpResults;
using static Identity.Api.Pages.NhsLayout;

namespace Identity.Api.Pages;

/// <summary>The sign-in form (email and password), with the way to a reset link for a forgotten password.</summary>
public static class SignInPage
{
    public const string ForgotPasswordPath = "/forgot-password";

    public static ContentHttpResult Render(string formAction, string antiforgeryField, string antiforgeryToken, string returnUrl, string? userName, FormErrors errors,
        int status = StatusCodes.Status200OK)
    {
        var main = $"""
            {errors.Summary()}
            <h1 class="nhsuk-heading-l">Sign in</h1>
            <p>Sign in with the email address and password of your practice portal account.</p>
            <form method="post" action="{E(formAction)}" novalidate>
            {FormFields.Hidden(antiforgeryField, antiforgeryToken, returnUrl)}
            {FormFields.Input("username", "Email address", "email", "username", errors, userName ?? "")}
            {FormFields.Input("password", "Password", "password", "current-password", errors)}
            <button class="nhsuk-button" data-module="nhsuk-button" type="submit">Sign in</button>
            </form>
            <p><a href="{ForgotPasswordPath}">Forgotten your password?</a></p>
            """;
        return Page("Sign in", main, errors.Any, status);
    }
}
