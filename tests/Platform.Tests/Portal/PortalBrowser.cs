using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Platform.Testing;

namespace Platform.Tests.Portal;

/// <summary>
/// A real headless Chromium (Debian's <c>chromium</c> on PATH; Playwright's own browser download is not used) driving the
/// practice portal through the gateway. Each test gets its own browser context, so its own cookies: its own person.
/// Pages are checked with axe as they are visited, and screenshots of the main pages go to <c>.local/screenshots</c>.
/// </summary>
public sealed class PortalBrowser : IAsyncDisposable
{
    private static readonly SemaphoreSlim Starting = new(1, 1);
    private static PortalBrowser? shared;

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private PortalBrowser(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static async Task<PortalBrowser> SharedAsync()
    {
        await Starting.WaitAsync();
        try
        {
            if (shared is not null) return shared;
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath(),
                Headless = true,
                Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            });
            return shared = new PortalBrowser(playwright, browser);
        }
        finally
        {
            Starting.Release();
        }
    }

    public async Task<IPage> NewPageAsync(Uri gateway)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = gateway.ToString().TrimEnd('/'), Locale = "en-GB" });
        context.SetDefaultTimeout(30_000);
        // The NHS.UK web fonts come from the internet, which tests do not reach: let the font fall back at once.
        await context.RouteAsync(url => !url.StartsWith(gateway.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal), route => route.AbortAsync());
        return await context.NewPageAsync();
    }

    /// <summary>No serious or critical WCAG 2.2 A/AA violation on the page as it is now.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var results = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        });
        var serious = results.Violations.Where(violation => violation.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{page.Url}: " + string.Join("; ", serious.Select(violation =>
            $"{violation.Id} ({violation.Impact}): {violation.Help} at {string.Join(", ", violation.Nodes.Take(3).Select(node => node.Target))}")));
    }

    /// <summary>A full-page screenshot in <c>.local/screenshots/NAME.png</c> (git-ignored; the README's come from here).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot.Find(), ".local", "screenshots");
        Directory.CreateDirectory(folder);
        await page.SetViewportSizeAsync(1100, 800);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    private static string ChromiumPath()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "chromium");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("Debian's chromium is not on PATH: scripts/setup.sh installs it (apt-get install chromium).");
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
