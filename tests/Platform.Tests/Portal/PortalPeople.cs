using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Platform.Testing;

namespace Platform.Tests.Portal;

/// <summary>What the browser tests do as people: sign in on Identity's page, and meet new colleagues through the practice admin.</summary>
public static partial class PortalPeople
{
    public const string NewPassword = "Kettle-Harbour-Lantern-42";

    /// <summary>Signs in from the portal's home page through Identity's sign-in page, and waits for the signed-in home.</summary>
    public static async Task SignInAsync(IPage page, string email, string password = PlatformClient.DemoPassword, string startAt = "/signin")
    {
        await page.GotoAsync(startAt);
        await page.FillAsync("#username", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/connect/", StringComparison.Ordinal) && !url.Contains("signin-oidc", StringComparison.Ordinal));
    }

    /// <summary>Someone new is invited, sets <see cref="NewPassword"/> from the invitation link and lands home signed in, in a new page.</summary>
    public static async Task<IPage> JoinAsync(PlatformAppFixture platform, string email, CancellationToken cancellationToken)
    {
        var invitation = await InviteAsync(platform, email, cancellationToken);
        var page = await (await PortalBrowser.SharedAsync()).NewPageAsync(platform.Gateway.BaseAddress!);
        await page.GotoAsync(new Uri(invitation).PathAndQuery);
        await page.FillAsync("#new-password", NewPassword);
        await page.FillAsync("#confirm-password", NewPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        return page;
    }

    /// <summary>The manager of A81001 invites someone new through the API; their invitation email is returned.</summary>
    public static async Task<string> InviteAsync(PlatformAppFixture platform, string email, CancellationToken cancellationToken)
    {
        var manager = await platform.SignedInAsAsync("manager@a81001.demo", cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/identity/practices/A81001/users")
        {
            Content = JsonContent.Create(new { email, displayName = "Robin " + email.Split('@')[0], role = "practice-user" }),
        };
        request.Headers.Authorization = new("Bearer", manager.AccessToken);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await platform.Gateway.SendAsync(request, cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"Inviting answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return await LinkInEmailAsync(platform, email, "/set-password", cancellationToken);
    }

    /// <summary>The first link to <paramref name="path"/> in the newest email to <paramref name="email"/>.</summary>
    public static async Task<string> LinkInEmailAsync(PlatformAppFixture platform, string email, string path, CancellationToken cancellationToken, DateTimeOffset? after = null)
    {
        using var mailbox = new Smtp4devMailbox(new Uri($"http://localhost:{platform.Ports.SmtpWeb}/"));
        string? link = null;
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (link is null && DateTimeOffset.UtcNow < deadline)
        {
            foreach (var message in (await mailbox.GetMessagesAsync(cancellationToken))
                .Where(message => message.To.Any(to => to.Contains(email, StringComparison.OrdinalIgnoreCase)) && message.ReceivedDate >= (after ?? DateTimeOffset.MinValue))
                .OrderByDescending(message => message.ReceivedDate))
            {
                var text = await mailbox.GetPlainTextAsync(message.Id, cancellationToken);
                link = Links().Matches(text).Select(match => match.Value).FirstOrDefault(url => new Uri(url).AbsolutePath == path);
                if (link is not null) break;
            }
            if (link is null) await Task.Delay(500, cancellationToken);
        }
        return link ?? throw new TimeoutException($"No email to {email} with a link to {path} arrived within 90 seconds.");
    }

    /// <summary>The manager of A81001 signed in, in a new page, on the practice's users page.</summary>
    public static async Task<IPage> PracticeUsersPageAsync(PlatformAppFixture platform)
    {
        var admin = await (await PortalBrowser.SharedAsync()).NewPageAsync(platform.Gateway.BaseAddress!);
        await SignInAsync(admin, "manager@a81001.demo", startAt: "/signin?returnUrl=%2Fpractice%2Fusers");
        await admin.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/practice/users");
        return admin;
    }

    /// <summary>
    /// Within seconds of a session being ended elsewhere (every replica reads the ended sessions each second) the portal's
    /// next call with it is refused, and the person is signed out and told why on the home page, not shown an error.
    /// </summary>
    public static async Task WaitUntilSessionEndedAsync(IPage page, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 20; tries++)
        {
            await page.GotoAsync("/submissions");
            if (new Uri(page.Url).PathAndQuery == "/?session=ended") break;
            await Task.Delay(500, cancellationToken);
        }
        Assert.Equal("/?session=ended", new Uri(page.Url).PathAndQuery);
    }

    /// <summary>An access token for <paramref name="email"/> as another client app (the CLI) would get it, from its own address.</summary>
    public static async Task<string> CliTokenAsync(PlatformAppFixture platform, string email, string password, CancellationToken cancellationToken) =>
        (await PlatformClient.SignInAsync(platform.Gateway, email, cancellationToken, password, from: "10.77.0.1")).AccessToken;

    public static string UniqueEmail(string what) => $"{what}-{Guid.NewGuid().ToString("N")[..8]}@a81001.demo";

    [GeneratedRegex(@"https?://[^\s""'<>]+")]
    public static partial Regex Links();
}
