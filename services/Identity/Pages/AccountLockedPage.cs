using Microsoft.AspNetCore.Http.HttpResults;
using static Identity.Api.Pages.NhsLayout;

namespace Identity.Api.Pages;

/// <summary>"Your account is locked": until when (UK time), who can help, and the way to reset the password.</summary>
public static class AccountLockedPage
{
    public static ContentHttpResult Render(DateTimeOffset unlockAt, string signInAgainUrl)
    {
        var main = $"""
            <h1 class="nhsuk-heading-l">Your account is locked</h1>
            <p>Your account has been locked because the wrong password was entered too many times.</p>
            <p>You can try to sign in again after <strong>{E(UkTime.Format(unlockAt))}</strong> (UK time).</p>
            <p>If you have forgotten your password, you can <a href="{SignInPage.ForgotPasswordPath}">reset your password</a>. Resetting it also unlocks your account.</p>
            <p>Your practice admin can also help you.</p>
            <p><a href="{E(signInAgainUrl)}">Back to sign in</a></p>
            """;
        return Page("Your account is locked", main);
    }
}
