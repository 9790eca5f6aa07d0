using Microsoft.AspNetCore.Http.HttpResults;
using static Identity.Api.Pages.NhsLayout;

namespace Identity.Api.Pages;

/// <summary>"Your account has been disabled": only the practice admin can re-enable it.</summary>
public static class AccountDisabledPage
{
    public static ContentHttpResult Render() => Page("Your account has been disabled", """
        <h1 class="nhsuk-heading-l">Your account has been disabled</h1>
        <p>You cannot sign in to the practice portal with this account.</p>
        <p>Contact your practice admin. They can re-enable your account or help you get access again.</p>
        """);
}
