using Platform.Testing;

namespace Platform.Tests;

/// <summary>The demo user whose password expires in 6 days is warned by email and in the app, without anyone asking.</summary>
public sealed class ExpiryWarningTests(PlatformAppFixture platform)
{
    [Fact(Timeout = 300_000)]
    public async Task The_expiring_demo_user_is_warned_in_smtp4dev_and_in_their_inbox()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var mailbox = new Smtp4devMailbox(new Uri($"http://localhost:{platform.Ports.SmtpWeb}/"));

        // The demo's expiry scan runs every minute.
        var email = await mailbox.WaitForAsync(m => m.To.Contains("expiring@a81001.demo"), TimeSpan.FromMinutes(3), cancellationToken);
        Assert.Contains("expire", email.Subject, StringComparison.OrdinalIgnoreCase);

        var user = await platform.SignedInAsAsync("expiring@a81001.demo", cancellationToken);
        var inbox = await user.GetAsync("/api/notifications", cancellationToken);
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(),
            notice => notice.GetProperty("kind").GetString()!.Contains("credential", StringComparison.Ordinal));
        var me = await user.GetAsync("/api/identity/me", cancellationToken);
        Assert.InRange(me.GetProperty("passwordDaysLeft").GetInt32(), 5, 6);
    }
}
