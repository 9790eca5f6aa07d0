using System.Net.Http.Json;
using Microsoft.Playwright;
using Platform.Testing;

namespace Platform.Tests.Portal;

/// <summary>Submissions in a real browser, entered in a form and followed live to paid; and every link the platform emails. (The commissioner's approval in the portal is in <see cref="ApprovalTests"/>.)</summary>
public sealed class PortalSubmissionTests(PlatformAppFixture platform)
{
    private static readonly TimeSpan ToOutcome = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 300_000)]
    public async Task A_submission_entered_in_the_form_is_followed_live_to_paid_without_reloading()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var period = await platform.ReservePeriodAsync("A81001", "FLU", cancellationToken);
        var page = await (await PortalBrowser.SharedAsync()).NewPageAsync(platform.Gateway.BaseAddress!);
        await PortalPeople.SignInAsync(page, "user@a81001.demo", startAt: "/signin?returnUrl=%2Fsubmissions%2Fnew");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/submissions/new");
        await PortalBrowser.AssertAccessibleAsync(page);
        await page.CheckAsync("#service-FLU");
        await page.ClickAsync("button[type=submit]");
        await page.SelectOptionAsync("#period", period);
        await page.FillAsync("#value-FLU_65_PLUS", "many");
        await page.ClickAsync("button:has-text('Submit')");
        // Bad input: the form comes back with the error summary and what was typed kept.
        await Assertions.Expect(page.Locator("#value-FLU_65_PLUS-error")).ToContainTextAsync("must be a number");
        await Assertions.Expect(page.Locator("#value-FLU_65_PLUS")).ToHaveValueAsync("many");
        await PortalBrowser.AssertAccessibleAsync(page);
        await PortalBrowser.ScreenshotAsync(page, "submission-error");
        await page.FillAsync("#value-FLU_65_PLUS", "120");
        await page.ClickAsync("button:has-text('Submit')");

        await Assertions.Expect(page.Locator(".nhsuk-panel__title")).ToHaveTextAsync("Submission received");
        var receiptUrl = page.Url;
        await Assertions.Expect(page.Locator("[data-testid=receipt]")).ToContainTextAsync(period);
        // A marker on the page itself: if the page were reloaded or navigated, it would be gone.
        await page.EvaluateAsync("() => { window.notReloaded = true; }");
        await Assertions.Expect(page.Locator("[data-testid=remittance-reference]")).ToBeVisibleAsync(new() { Timeout = (float)ToOutcome.TotalMilliseconds });
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "The page was reloaded to show the outcome.");
        Assert.Equal(receiptUrl, page.Url);
        await Assertions.Expect(page.Locator("[data-live-timeline]")).ToContainTextAsync("Paid");
        await PortalBrowser.AssertAccessibleAsync(page);
        await PortalBrowser.ScreenshotAsync(page, "submission-paid");

        await page.GotoAsync($"/submissions?period={period}");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("FLU");
        await PortalBrowser.AssertAccessibleAsync(page);
        await PortalBrowser.ScreenshotAsync(page, "submissions");
        await page.GotoAsync("/payments");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync(period);
        await PortalBrowser.AssertAccessibleAsync(page);
        await page.GotoAsync("/notifications");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Notifications");
        await PortalBrowser.AssertAccessibleAsync(page);
        await page.GotoAsync("/account/password");
        await PortalBrowser.AssertAccessibleAsync(page);
        await page.GotoAsync("/no-such-page");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Page not found");
    }

    [Fact(Timeout = 300_000)]
    public async Task Every_link_in_every_email_sent_so_far_opens_a_page()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // Some mail of every kind this run sends: a reset link, an invitation, a submission's receipt and remittance.
        var email = PortalPeople.UniqueEmail("links");
        await PortalPeople.InviteAsync(platform, email, cancellationToken);
        using (var reset = await platform.Gateway.PostAsJsonAsync("/api/identity/password/reset-requests", new { email = "user@b82002.demo" }, cancellationToken))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, reset.StatusCode);
        }
        var practice = await platform.SignedInAsAsync("user@b82002.demo", cancellationToken);
        var period = await platform.ReservePeriodAsync("B82002", "CHILD_IMMS", cancellationToken);
        var (_, receipt) = await practice.SubmitAsync(PlatformClient.ItemSubmission("B82002", "CHILD_IMMS", period, "PCV", 4), cancellationToken);
        await practice.WaitForStatusAsync(receipt.StatusUrl!, "paid", ToOutcome, cancellationToken);
        await PortalPeople.LinkInEmailAsync(platform, "user@b82002.demo", "/reset-password", cancellationToken);

        using var mailbox = new Smtp4devMailbox(new Uri($"http://localhost:{platform.Ports.SmtpWeb}/"));
        var links = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in await mailbox.GetMessagesAsync(cancellationToken))
        {
            var text = await mailbox.GetPlainTextAsync(message.Id, cancellationToken);
            links.UnionWith(PortalPeople.Links().Matches(text).Select(match => match.Value.TrimEnd('.', ',', ')')));
        }
        var paths = links.Select(link => new Uri(link).AbsolutePath).ToHashSet();
        Assert.Contains("/set-password", paths);
        Assert.Contains("/reset-password", paths);
        Assert.Contains(paths, path => path.StartsWith("/submissions/", StringComparison.Ordinal));

        // Each opens a page: the page itself, or (for a page behind sign-in) the sign-in page that leads back to it.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = true, UseCookies = true });
        var failures = new List<string>();
        foreach (var link in links.Where(link => new Uri(link).Authority == platform.Gateway.BaseAddress!.Authority))
        {
            using var response = await browser.GetAsync(link, cancellationToken);
            var type = response.Content.Headers.ContentType?.MediaType;
            if (!response.IsSuccessStatusCode || type != "text/html") failures.Add($"{new Uri(link).PathAndQuery.Split('?')[0]}: {(int)response.StatusCode} {type}");
        }
        Assert.True(failures.Count == 0, "Links in emails that do not open a page: " + string.Join("; ", failures.Distinct()));
    }
}
