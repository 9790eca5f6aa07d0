using Platform.Client.Identity.Models;
using Platform.Client.Notifications.Models;
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
        var inbox = await user.GetAsync("/api/notifications", NoticePage.CreateFromDiscriminatorValue, cancellationToken);
        Assert.Contains(inbox.Items!, notice => notice.Kind!.Contains("credential", StringComparison.Ordinal));
        var me = await user.GetAsync("/api/identity/me", Profile.CreateFromDiscriminatorValue, cancellationToken);
        Assert.InRange(me.PasswordDaysLeft!.Value, 5, 6);
    }
}
