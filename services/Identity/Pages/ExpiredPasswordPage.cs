using Microsoft.AspNetCore.Http.HttpResults;
using static Identity.Api.Pages.NhsLayout;

namespace Identity.Api.Pages;

/// <summary>"Your password has expired": choose a new one (twice), with the rules it must follow said up front.</summary>
public static class ExpiredPasswordPage
{
    public const string NewPassword = "new-password";
    public const string ConfirmPassword = "confirm-password";

    public static ContentHttpResult Render(string formAction, string antiforgeryField, string antiforgeryToken, string returnUrl,
        int minimumLength, int history, FormErrors errors, int status = StatusCodes.Status200OK)
    {
        var main = $"""
            {errors.Summary()}
            <h1 class="nhsuk-heading-l">Your password has expired</h1>
            <p>You need to choose a new password to carry on signing in.</p>
            <p>Your new password must:</p>
            <ul class="nhsuk-list nhsuk-list--bullet">
            <li>be at least {minimumLength} characters long (a few unrelated words make a good password)</li>
            <li>not be a common password</li>
            <li>not contain your email address or username</li>
            <li>not be one of your last {history} passwords</li>
            </ul>
            <form method="post" action="{E(formAction)}" novalidate>
            {FormFields.Hidden(antiforgeryField, antiforgeryToken, returnUrl)}
            {FormFields.Input(NewPassword, "New password", "password", "new-password", errors)}
            {FormFields.Input(ConfirmPassword, "Confirm new password", "password", "new-password", errors)}
            <button class="nhsuk-button" data-module="nhsuk-button" type="submit">Save password and continue</button>
            </form>
            <p><a href="{SignInPage.ForgotPasswordPath}">Forgotten your password?</a></p>
            """;
        return Page("Your password has expired", main, errors.Any, status);
    }
}
