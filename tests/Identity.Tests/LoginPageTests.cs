using System.Net;
using System.Web;
using Identity.Api.Pages;
using Platform.Contracts.Identity;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Identity.Tests;

/// <summary>The sign-in page as a person meets it: NHS.UK markup, errors beside the fields, and what it does for expired, locked and disabled accounts.</summary>
public sealed class LoginPageTests(MessagingServers servers)
{
    [Fact]
    public async Task The_sign_in_page_is_an_NHS_UK_page_with_labelled_fields_and_a_forgotten_password_link()
    {
        await using var app = await IdentityApp.StartAsync(servers, LoginBrowser.Settings);
        using var browser = new LoginBrowser(app);

        var page = await browser.OpenSignInAsync(LoginBrowser.AuthorizeUrl());

        Assert.Contains("<html lang=\"en\">", page);
        Assert.Contains("<title>Sign in – Practice portal – NHS</title>", page);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/nhsuk/nhsuk-frontend.min.css\">", page);
        Assert.Contains("import { initAll } from '/nhsuk/nhsuk-frontend.min.js'", page);
        Assert.Contains("class=\"nhsuk-header\"", page);
        Assert.Contains("<span class=\"nhsuk-header__service-name\">Practice portal</span>", page);
        Assert.Contains("class=\"nhsuk-width-container\"", page);
        Assert.Contains("class=\"nhsuk-main-wrapper\"", page);
        Assert.Contains("novalidate", page);
        Assert.Contains("<label class=\"nhsuk-label\" for=\"username\">Email address</label>", page);
        Assert.Contains("autocomplete=\"username\"", page);
        Assert.Contains("autocomplete=\"current-password\"", page);
        Assert.Contains("<a href=\"/forgot-password\">Forgotten your password?</a>", page);
        Assert.DoesNotContain("/api/", page);
        Assert.DoesNotContain("nhsuk-error-summary", page);
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_summary_and_the_inline_error_and_keeps_the_email()
    {
        await using var app = await IdentityApp.StartAsync(servers, LoginBrowser.Settings);
        await app.RegisterPracticeAsync("A81001");
        await app.CreateUserAsync("user@a81001.test");
        using var browser = new LoginBrowser(app);
        var page = await browser.OpenSignInAsync(LoginBrowser.AuthorizeUrl());

        using var refused = await browser.SubmitAsync(page, ("username", "user@a81001.test"), ("password", "not my password at all"));
        var html = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("<title>Error: Sign in – Practice portal – NHS</title>", html);
        Assert.Contains("class=\"nhsuk-error-summary\" aria-labelledby=\"error-summary-title\" role=\"alert\"", html);
        Assert.Contains("<a href=\"#password\">The email address or password is incorrect</a>", html);
        Assert.Contains("nhsuk-form-group nhsuk-form-group--error", html);
        Assert.Contains("<span class=\"nhsuk-error-message\" id=\"password-error\">", html);
        Assert.Contains("class=\"nhsuk-input nhsuk-input--error\" id=\"password\"", html);
        Assert.Matches("<input [^>]*id=\"username\"[^>]* value=\"user@a81001.test\"", html);

        using var empty = await browser.SubmitAsync(html, ("username", ""), ("password", ""));
        var emptyHtml = await empty.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("<a href=\"#username\">Enter your email address</a>", emptyHtml);
        Assert.Contains("<a href=\"#password\">Enter your password</a>", emptyHtml);
    }

    [Fact]
    public async Task An_expired_password_at_sign_in_is_replaced_on_the_page_and_the_authorize_request_continues()
    {
        await using var app = await IdentityApp.StartAsync(servers, LoginBrowser.Settings);
        await app.RegisterPracticeAsync("A81001");
        var user = await app.CreateUserAsync("user@a81001.test");
        app.Time.Advance(TimeSpan.FromDays(181));
        using var browser = new LoginBrowser(app);
        var authorize = LoginBrowser.AuthorizeUrl();
        var signIn = await browser.OpenSignInAsync(authorize);

        using var toForm = await browser.SubmitAsync(signIn, ("username", "user@a81001.test"), ("password", IdentityApp.Password));
        Assert.Equal(HttpStatusCode.Redirect, toForm.StatusCode);
        Assert.StartsWith("/connect/login/expired-password?returnUrl=", toForm.Headers.Location!.OriginalString);
        var proofCookie = toForm.Headers.GetValues("Set-Cookie").Single(cookie => cookie.StartsWith("Identity.ExpiredPassword=", StringComparison.Ordinal));
        Assert.DoesNotContain(Uri.EscapeDataString(IdentityApp.Password), proofCookie);
        Assert.Contains("httponly", proofCookie, StringComparison.OrdinalIgnoreCase);

        var form = await browser.Client.GetStringAsync(toForm.Headers.Location);
        Assert.Contains("<h1 class=\"nhsuk-heading-l\">Your password has expired</h1>", form);
        Assert.Contains("at least 12 characters", form);
        Assert.Contains("not be a common password", form);
        Assert.Contains("not contain your email address or username", form);
        Assert.Contains("not be one of your last 8 passwords", form);
        Assert.Contains("autocomplete=\"new-password\"", form);
        Assert.DoesNotContain("/api/", form);

        // A password the rules refuse comes back beside the field, not as a 500.
        using var tooShort = await browser.SubmitAsync(form, ("new-password", "short"), ("confirm-password", "short"));
        var shortHtml = await tooShort.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("nhsuk-error-summary", shortHtml);
        Assert.Contains("<a href=\"#new-password\">Use at least 12 characters", shortHtml);
        Assert.Contains("class=\"nhsuk-input nhsuk-input--error\" id=\"new-password\"", shortHtml);
        using var reused = await browser.SubmitAsync(shortHtml, ("new-password", IdentityApp.Password), ("confirm-password", IdentityApp.Password));
        var reusedHtml = await reused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("you have not used for your last 8 passwords", reusedHtml);
        using var mismatch = await browser.SubmitAsync(reusedHtml, ("new-password", "a fresh passphrase 2027"), ("confirm-password", "a different passphrase 2027"));
        var mismatchHtml = await mismatch.Content.ReadAsStringAsync();
        Assert.Contains("<a href=\"#confirm-password\">The passwords do not match</a>", mismatchHtml);
        Assert.Empty(await app.OutboxAsync<PasswordChanged>());

        using var saved = await browser.SubmitAsync(mismatchHtml, ("new-password", "a fresh passphrase 2027"), ("confirm-password", "a fresh passphrase 2027"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(authorize, saved.Headers.Location!.OriginalString);

        using var toClient = await browser.Client.GetAsync(saved.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, toClient.StatusCode);
        Assert.StartsWith(LoginBrowser.RedirectUri, toClient.Headers.Location!.ToString());
        Assert.NotNull(HttpUtility.ParseQueryString(toClient.Headers.Location!.Query)["code"]);

        Assert.Equal("invalid_credentials", (await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).Code);
        Assert.True((await app.PasswordGrantAsync("user@a81001.test", "a fresh passphrase 2027")).IsSuccess);
        var changed = Assert.Single(await app.OutboxAsync<PasswordChanged>());
        Assert.Equal((user.Id, PasswordChangeMethods.ExpiredChange), (changed.UserId, changed.Method));

        // The proof was spent: the form cannot be used again.
        using var again = await browser.Client.GetAsync(toForm.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.StartsWith("/connect/login?returnUrl=", again.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_expired_password_form_needs_a_fresh_proof_of_the_old_password()
    {
        await using var app = await IdentityApp.StartAsync(servers, LoginBrowser.Settings);
        await app.RegisterPracticeAsync("A81001");
        await app.CreateUserAsync("user@a81001.test");
        app.Time.Advance(TimeSpan.FromDays(181));
        using var stranger = new LoginBrowser(app);
        using var direct = await stranger.Client.GetAsync("/connect/login/expired-password?returnUrl=%2Fconnect%2Fauthorize");
        Assert.Equal(HttpStatusCode.Redirect, direct.StatusCode);
        Assert.StartsWith("/connect/login?returnUrl=", direct.Headers.Location!.OriginalString);

        using var browser = new LoginBrowser(app);
        var signIn = await browser.OpenSignInAsync(LoginBrowser.AuthorizeUrl());
        using var toForm = await browser.SubmitAsync(signIn, ("username", "user@a81001.test"), ("password", IdentityApp.Password));
        var form = await browser.Client.GetStringAsync(toForm.Headers.Location);
        app.Time.Advance(TimeSpan.FromMinutes(11));

        using var late = await browser.SubmitAsync(form, ("new-password", "a fresh passphrase 2027"), ("confirm-password", "a fresh passphrase 2027"));

        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        Assert.StartsWith("/connect/login?returnUrl=", late.Headers.Location!.OriginalString);
        Assert.Empty(await app.OutboxAsync<PasswordChanged>());
    }

    [Fact]
    public async Task A_locked_account_gets_a_page_saying_when_it_unlocks_in_UK_time_and_how_to_reset()
    {
        await using var app = await IdentityApp.StartAsync(servers, LoginBrowser.Settings);
        await app.RegisterPracticeAsync("A81001");
        await app.CreateUserAsync("user@a81001.test");
        var unlockAt = app.Time.GetUtcNow().AddMinutes(15);
        using var browser = new LoginBrowser(app);
        var page = await browser.OpenSignInAsync(LoginBrowser.AuthorizeUrl());
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await browser.SubmitAsync(page, ("username", "user@a81001.test"), ("password", "wrong guess " + i));
            page = await wrong.Content.ReadAsStringAsync();
        }

        using var locked = await browser.SubmitAsync(page, ("username", "user@a81001.test"), ("password", "wrong guess 5"));
        var html = await locked.Content.ReadAsStringAsync();

        Assert.Contains("<h1 class=\"nhsuk-heading-l\">Your account is locked</h1>", html);
        Assert.Contains($"<strong>{UkTime.Format(unlockAt)}</strong>", html);
        Assert.Contains("practice admin", html);
        Assert.Contains("<a href=\"/forgot-password\">reset your password</a>", html);
        Assert.DoesNotContain("/api/", html);
        Assert.Single(await app.OutboxAsync<UserLockedOut>());
    }

    [Fact]
    public async Task A_disabled_account_gets_a_page_saying_the_practice_admin_can_help()
    {
        await using var app = await IdentityApp.StartAsync(servers, LoginBrowser.Settings);
        await app.RegisterPracticeAsync("A81001");
        var user = await app.CreateUserAsync("user@a81001.test");
        await app.InDbAsync(async db =>
        {
            var entity = await db.Users.FindAsync(user.Id);
            entity!.DisabledAt = app.Time.GetUtcNow();
            return await db.SaveChangesAsync();
        });
        using var browser = new LoginBrowser(app);
        var page = await browser.OpenSignInAsync(LoginBrowser.AuthorizeUrl());

        using var disabled = await browser.SubmitAsync(page, ("username", "user@a81001.test"), ("password", IdentityApp.Password));
        var html = await disabled.Content.ReadAsStringAsync();

        Assert.Contains("<h1 class=\"nhsuk-heading-l\">Your account has been disabled</h1>", html);
        Assert.Contains("practice admin", html);
        Assert.Contains("re-enable", html);
    }

    [Theory]
    [InlineData("2026-12-05T15:45:00Z", "3:45pm on 5 December 2026")] // GMT
    [InlineData("2026-06-01T15:00:00Z", "4pm on 1 June 2026")] // BST: an hour ahead
    [InlineData("2026-03-01T00:05:00Z", "12:05am on 1 March 2026")]
    [InlineData("2026-07-31T23:30:00Z", "12:30am on 1 August 2026")] // already the next day in London
    [InlineData("2026-03-29T00:59:00Z", "12:59am on 29 March 2026")] // the last minute of GMT in spring
    [InlineData("2026-03-29T01:00:00Z", "2am on 29 March 2026")]
    [InlineData("2026-10-25T00:59:00Z", "1:59am on 25 October 2026")] // the last minute of BST in autumn
    [InlineData("2026-10-25T01:00:00Z", "1am on 25 October 2026")]
    public void Times_are_written_in_UK_local_time_with_or_without_the_system_zone_data(string utc, string expected)
    {
        var at = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, UkTime.Format(at));
        Assert.Equal(expected, UkTime.Format(at, UkTimeZone.Rules));
    }
}
