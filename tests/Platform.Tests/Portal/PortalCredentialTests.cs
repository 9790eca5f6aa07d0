using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Platform.Tests.Portal;

/// <summary>
/// People getting back in without a helpdesk, in a real browser through the gateway: an expired password replaced at
/// sign-in, a forgotten one reset from the email link, an invitation accepted, a lockout seen by the practice admin.
/// </summary>
public sealed class PortalCredentialTests(PlatformAppFixture platform)
{
    [Fact(Timeout = 240_000)]
    public async Task An_expired_password_is_replaced_on_the_sign_in_page_and_the_person_lands_home_with_180_days()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var browser = await PortalBrowser.SharedAsync();
        var page = await browser.NewPageAsync(platform.Gateway.BaseAddress!);

        await page.GotoAsync("/");
        await PortalBrowser.AssertAccessibleAsync(page);
        await PortalBrowser.ScreenshotAsync(page, "start");
        await page.ClickAsync("text=Sign in >> nth=-1");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/connect/login");
        await Expect(page.Locator("#username")).ToBeVisibleAsync();
        await PortalBrowser.AssertAccessibleAsync(page);
        await PortalBrowser.ScreenshotAsync(page, "sign-in");
        await page.FillAsync("#username", "expired@a81001.demo");
        await page.FillAsync("#password", PlatformClient.DemoPassword);
        await page.ClickAsync("button[type=submit]");

        await Expect(page.Locator("h1")).ToContainTextAsync("expired");
        Assert.DoesNotContain("/api/", await page.ContentAsync());
        await PortalBrowser.AssertAccessibleAsync(page);
        await PortalBrowser.ScreenshotAsync(page, "expired-password");
        // A weak password is refused on the page, with the NHS.UK error summary; then a good one goes through.
        cancellationToken.ThrowIfCancellationRequested();
        await page.FillAsync("#new-password", "short");
        await page.FillAsync("#confirm-password", "short");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator(".nhsuk-error-summary")).ToBeVisibleAsync();
        await PortalBrowser.AssertAccessibleAsync(page);
        await page.FillAsync("#new-password", PortalPeople.NewPassword);
        await page.FillAsync("#confirm-password", PortalPeople.NewPassword);
        await page.ClickAsync("button[type=submit]");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(page.Locator("[data-testid=password-expiry]")).ToContainTextAsync("180 days");
        await PortalBrowser.AssertAccessibleAsync(page);
        await PortalBrowser.ScreenshotAsync(page, "home");
    }

    [Fact(Timeout = 240_000)]
    public async Task An_invitation_link_sets_the_password_and_signs_the_new_person_in()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var email = PortalPeople.UniqueEmail("invited");
        var link = await PortalPeople.InviteAsync(platform, email, cancellationToken);
        var page = await (await PortalBrowser.SharedAsync()).NewPageAsync(platform.Gateway.BaseAddress!);

        await page.GotoAsync(new Uri(link).PathAndQuery);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Set your password");
        await PortalBrowser.AssertAccessibleAsync(page);
        await page.FillAsync("#new-password", PortalPeople.NewPassword);
        await page.FillAsync("#confirm-password", "not the same password");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("#confirm-password-error")).ToContainTextAsync("do not match");
        await PortalBrowser.AssertAccessibleAsync(page);
        await page.FillAsync("#new-password", PortalPeople.NewPassword);
        await page.FillAsync("#confirm-password", PortalPeople.NewPassword);
        await page.ClickAsync("button[type=submit]");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(page.Locator(".nhsuk-notification-banner--success")).ToContainTextAsync("signed in");
        await Expect(page.Locator("h1")).ToContainTextAsync("Robin invited");
    }

    [Fact(Timeout = 300_000)]
    public async Task A_person_whose_password_is_changed_elsewhere_is_signed_out_of_the_portal_and_told_why()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var email = PortalPeople.UniqueEmail("elsewhere");
        var page = await PortalPeople.JoinAsync(platform, email, cancellationToken);
        await Expect(page.Locator("h1")).ToContainTextAsync("Robin elsewhere");

        // The same person changes their password from another client (the CLI, say).
        using (var change = new HttpRequestMessage(HttpMethod.Post, "/api/identity/password/change"))
        {
            change.Content = JsonContent.Create(new { currentPassword = PortalPeople.NewPassword, newPassword = "Quarry-Lantern-Meadow-58" });
            change.Headers.Authorization = new("Bearer", await PortalPeople.CliTokenAsync(platform, email, PortalPeople.NewPassword, cancellationToken));
            using var changed = await platform.Gateway.SendAsync(change, cancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.NoContent, changed.StatusCode);
        }

        await PortalPeople.WaitUntilSessionEndedAsync(page, cancellationToken);
        await Expect(page.Locator(".nhsuk-notification-banner")).ToContainTextAsync("You have been signed out");
        await Expect(page.Locator("a.nhsuk-button")).ToContainTextAsync("Sign in");
        await PortalBrowser.AssertAccessibleAsync(page);
        await PortalBrowser.ScreenshotAsync(page, "session-ended");
    }

    [Fact(Timeout = 300_000)]
    public async Task A_new_email_is_confirmed_from_its_mailbox_and_the_old_address_takes_the_account_back()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var email = PortalPeople.UniqueEmail("mover");
        var newEmail = PortalPeople.UniqueEmail("moved");
        var page = await PortalPeople.JoinAsync(platform, email, cancellationToken);
        await page.Context.ClearCookiesAsync();

        // Someone with the password asks, through the API as any client app could, to sign in with another address.
        using (var move = new HttpRequestMessage(HttpMethod.Put, "/api/identity/me/contact"))
        {
            move.Content = JsonContent.Create(new { email = newEmail, displayName = "Robin mover", currentPassword = PortalPeople.NewPassword });
            move.Headers.Authorization = new("Bearer", await PortalPeople.CliTokenAsync(platform, email, PortalPeople.NewPassword, cancellationToken));
            using var moved = await platform.Gateway.SendAsync(move, cancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.OK, moved.StatusCode);
        }

        // Nothing moves until the new mailbox confirms it.
        var confirm = await PortalPeople.LinkInEmailAsync(platform, newEmail, "/account/email/confirm", cancellationToken);
        await page.GotoAsync(new Uri(confirm).PathAndQuery);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Confirm your new email address");
        await PortalBrowser.AssertAccessibleAsync(page);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/email/confirmed");
        await Expect(page.Locator("h1")).ToContainTextAsync("Your email address has been changed");

        // The old address is told, and takes the account back from the link.
        var undo = await PortalPeople.LinkInEmailAsync(platform, email, "/account/email/undo", cancellationToken);
        var undoneAt = DateTimeOffset.UtcNow.AddSeconds(-5);
        await page.GotoAsync(new Uri(undo).PathAndQuery);
        await PortalBrowser.AssertAccessibleAsync(page);
        await PortalBrowser.ScreenshotAsync(page, "email-change-undo");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/email/changed-back");
        await Expect(page.Locator("h1")).ToContainTextAsync("changed back");
        await PortalBrowser.AssertAccessibleAsync(page);

        // The password the mover knew is cleared: the owner chooses a new one from the link at the old address and is in.
        var reset = await PortalPeople.LinkInEmailAsync(platform, email, "/reset-password", cancellationToken, undoneAt);
        await page.GotoAsync(new Uri(reset).PathAndQuery);
        await page.FillAsync("#new-password", "Orchard-Beacon-Lantern-31");
        await page.FillAsync("#confirm-password", "Orchard-Beacon-Lantern-31");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(page.Locator("h1")).ToContainTextAsync("Robin mover");

        // Each link works once.
        await page.GotoAsync(new Uri(undo).PathAndQuery);
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("not valid");
    }

    [Fact(Timeout = 300_000)]
    public async Task A_forgotten_password_is_reset_from_the_email_link_and_the_person_is_signed_in()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var email = PortalPeople.UniqueEmail("forgetful");
        var page = await PortalPeople.JoinAsync(platform, email, cancellationToken);
        await page.Context.ClearCookiesAsync();

        var asked = DateTimeOffset.UtcNow.AddSeconds(-5);
        await page.GotoAsync("/forgot-password");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter your email address");
        await PortalBrowser.AssertAccessibleAsync(page);
        await PortalBrowser.ScreenshotAsync(page, "forgot-password-error");
        await page.FillAsync("#email", email);
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Check your email");

        var link = await PortalPeople.LinkInEmailAsync(platform, email, "/reset-password", cancellationToken, asked);
        await page.GotoAsync(new Uri(link).PathAndQuery);
        await PortalBrowser.AssertAccessibleAsync(page);
        const string Another = "Meadow-Compass-Violin-77";
        await page.FillAsync("#new-password", Another);
        await page.FillAsync("#confirm-password", Another);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(page.Locator(".nhsuk-notification-banner--success")).ToContainTextAsync("changed");
        await Expect(page.Locator("[data-testid=password-expiry]")).ToContainTextAsync("180 days");

        // The link works once.
        await page.GotoAsync(new Uri(link).PathAndQuery);
        await page.FillAsync("#new-password", "Another-Long-Passphrase-9");
        await page.FillAsync("#confirm-password", "Another-Long-Passphrase-9");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("not valid");
    }

    [Fact(Timeout = 300_000)]
    public async Task A_practice_admin_signs_a_user_out_everywhere_and_their_portal_session_ends()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var email = PortalPeople.UniqueEmail("laptop-lost");
        var person = await PortalPeople.JoinAsync(platform, email, cancellationToken);

        var admin = await PortalPeople.PracticeUsersPageAsync(platform);
        await admin.ClickAsync($"tr[data-user='{email}'] button:has-text('Sign out everywhere')");
        await admin.WaitForURLAsync(url => url.Contains("done=signed-out", StringComparison.Ordinal));
        await Expect(admin.Locator(".nhsuk-notification-banner--success")).ToContainTextAsync("signed out on every device");
        await PortalBrowser.AssertAccessibleAsync(admin);

        await PortalPeople.WaitUntilSessionEndedAsync(person, cancellationToken);
        await Expect(person.Locator(".nhsuk-notification-banner")).ToContainTextAsync("You have been signed out");
    }

    [Fact(Timeout = 300_000)]
    public async Task An_invitation_posted_twice_from_the_same_form_is_sent_once_and_both_answers_say_it_was_sent()
    {
        var email = PortalPeople.UniqueEmail("twice");
        var admin = await PortalPeople.PracticeUsersPageAsync(platform);
        await admin.FillAsync("#invite-name", "Sam Twice");
        await admin.FillAsync("#invite-email", email);
        // What the browser sends again when the button is pressed twice, or a reload re-posts the form.
        var formUrl = admin.Url;
        var form = admin.Locator("form:has(#invite-name)");
        var fields = await form.EvaluateAsync<Dictionary<string, string>>("form => Object.fromEntries(new FormData(form))");
        // The form's own button: the table's "Resend invitation" buttons say "send invitation" too.
        await form.Locator("button[type=submit]").ClickAsync();
        await admin.WaitForURLAsync(url => url.Contains("done=invited", StringComparison.Ordinal));

        TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
        var again = admin.Context.APIRequest.CreateFormData();
        foreach (var (name, value) in fields) again.Set(name, value);
        var answer = await admin.Context.APIRequest.PostAsync(formUrl, new() { Form = again, MaxRedirects = 0 });

        Assert.Equal(302, answer.Status);
        Assert.Contains("done=invited", answer.Headers["location"], StringComparison.Ordinal);
        await admin.GotoAsync("/practice/users");
        await Expect(admin.Locator($"tr[data-user='{email}']")).ToHaveCountAsync(1);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_system_client_form_posted_twice_adds_one_client_and_shows_its_secret_once()
    {
        var name = $"Extract {Guid.NewGuid():N}"[..20];
        var admin = await PortalPeople.PracticeUsersPageAsync(platform);
        await admin.GotoAsync("/practice/credentials");
        await admin.FillAsync("#client-name", name);
        // What the browser sends again when the button is pressed twice, or a reload re-posts the form.
        var formUrl = admin.Url;
        var form = admin.Locator("form:has(#client-name)");
        var fields = await form.EvaluateAsync<Dictionary<string, string>>("form => Object.fromEntries(new FormData(form))");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(admin.Locator("[data-testid=new-secret]")).Not.ToBeEmptyAsync();

        TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
        var again = admin.Context.APIRequest.CreateFormData();
        foreach (var (field, value) in fields) again.Set(field, value);
        var answer = await admin.Context.APIRequest.PostAsync(formUrl, new() { Form = again, MaxRedirects = 0 });

        Assert.Equal(200, answer.Status);
        var html = await answer.TextAsync();
        Assert.Contains("was added when this form was first sent", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"new-secret\"", html, StringComparison.Ordinal);
        // The same answer as the person sees it: the browser itself posts the first form's fields once more.
        await admin.EvaluateAsync(
            @"fields => {
                const form = Object.assign(document.createElement('form'), { method: 'post', action: location.href });
                for (const [name, value] of Object.entries(fields)) form.append(Object.assign(document.createElement('input'), { type: 'hidden', name, value }));
                document.body.append(form);
                form.submit();
            }", fields);
        await Expect(admin.Locator("[data-testid=already-added]")).ToContainTextAsync("was added when this form was first sent");
        await PortalBrowser.AssertAccessibleAsync(admin);
        await PortalBrowser.ScreenshotAsync(admin, "client-already-added");
        await admin.GotoAsync("/practice/credentials");
        await Expect(admin.Locator("table[aria-label='System clients'] tbody tr", new() { HasTextString = name })).ToHaveCountAsync(1);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_practice_admin_sees_a_locked_out_user_marked_as_locked()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var email = PortalPeople.UniqueEmail("locked");
        var person = await PortalPeople.JoinAsync(platform, email, cancellationToken);
        await person.Context.ClearCookiesAsync();

        await person.GotoAsync("/signin");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await person.FillAsync("#username", email);
            await person.FillAsync("#password", "not-my-password-at-all");
            await person.ClickAsync("button[type=submit]");
        }
        await Expect(person.Locator("h1")).ToContainTextAsync("locked");
        await PortalBrowser.AssertAccessibleAsync(person);
        await PortalBrowser.ScreenshotAsync(person, "account-locked");

        var admin = await PortalPeople.PracticeUsersPageAsync(platform);
        await Expect(admin.Locator($"tr[data-user='{email}'] [data-testid=user-state]")).ToContainTextAsync("Locked");
        await PortalBrowser.AssertAccessibleAsync(admin);
        await PortalBrowser.ScreenshotAsync(admin, "practice-users");

        await admin.GotoAsync("/practice/credentials");
        await Expect(admin.Locator("h1")).ToContainTextAsync("Credentials");
        await PortalBrowser.AssertAccessibleAsync(admin);
        await admin.FillAsync("#client-name", "Clinical system extract");
        await admin.ClickAsync("text=Add client");
        await Expect(admin.Locator("[data-testid=new-secret]")).Not.ToBeEmptyAsync();
        await PortalBrowser.AssertAccessibleAsync(admin);
        // Shown once: reading the page again does not show it.
        await admin.GotoAsync("/practice/credentials");
        await Expect(admin.Locator("[data-testid=new-secret]")).ToHaveCountAsync(0);
    }

    [Fact(Timeout = 180_000)]
    public async Task Pages_anyone_can_reach_are_accessible_and_an_unknown_page_answers_404()
    {
        var page = await (await PortalBrowser.SharedAsync()).NewPageAsync(platform.Gateway.BaseAddress!);
        foreach (var path in new[] { "/", "/forgot-password", "/forgot-password/check-your-email", "/account/password/expired",
                     "/account/password/changed", "/reset-password", "/set-password", "/signed-out", "/sign-in-failed", "/access-denied" })
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await PortalBrowser.AssertAccessibleAsync(page);
        }

        var missing = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, missing!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Page not found");
        await PortalBrowser.AssertAccessibleAsync(page);
        var api = await page.GotoAsync("/api/no-such-api");
        Assert.Equal(404, api!.Status);
        Assert.Equal("application/problem+json", (await api.HeaderValueAsync("content-type"))?.Split(';')[0]);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
