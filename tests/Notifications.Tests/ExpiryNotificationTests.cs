using Platform.Contracts.Identity;

namespace Notifications.Tests;

/// <summary>Expiry warnings: who hears, what they read (when, what to do, the link), by email and in the app.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class ExpiryNotificationTests(NotificationsHost host)
{
    private static CredentialExpiring Expiring(TestPerson owner, int days, params string[] adminEmails) => new(
        Guid.CreateVersion7(), owner.UserId, CredentialKinds.Password, owner.UserId, owner.Email, owner.DisplayName, owner.PracticeOds,
        days, DateTimeOffset.UtcNow.AddDays(days).AddHours(-1), 1, adminEmails);

    [Fact]
    public async Task A_14_day_warning_reaches_only_the_owner_by_email_and_in_app()
    {
        var ods = NotificationsHost.NewOds();
        var owner = await host.RegisterAsync("practice-user", ods);
        var admin = await host.RegisterAsync("practice-admin", ods);
        var messageId = Guid.NewGuid();
        await host.Publish(Expiring(owner, 14), messageId);

        var (mail, text) = await host.MailAsync(owner.Email, "Your password expires on");
        Assert.Contains("in 14 days", text);
        Assert.Contains("Change your password before then at https://portal.test/account/password", text);
        Assert.Contains("https://portal.test/forgot-password", text);
        Assert.Equal([owner.Email], await host.EmailRowsAsync(messageId));

        var notice = await host.NoticeAsync(owner, "credential-expiring");
        Assert.Equal(mail.Subject, notice.Title);
        Assert.Equal("https://portal.test/account/password", notice.Link);
        Assert.Equal([owner.UserId], await host.NoticeRowsAsync(messageId));
        Assert.Equal(0, (await host.InboxAsync(admin)).Total);
    }

    [Fact]
    public async Task A_7_day_warning_also_reaches_the_practice_admins_and_any_admin_the_event_names()
    {
        var ods = NotificationsHost.NewOds();
        await host.RegisterPracticeAsync(ods, "QWE", "Seven Day Surgery");
        var owner = await host.RegisterAsync("practice-user", ods, name: "Olive Owner");
        var admin = await host.RegisterAsync("practice-admin", ods);
        var otherPracticeAdmin = await host.RegisterAsync("practice-admin", NotificationsHost.NewOds());
        var unknownAdmin = NotificationsHost.NewEmail("unknown-admin");
        var messageId = Guid.NewGuid();
        await host.Publish(Expiring(owner, 7, admin.Email, unknownAdmin), messageId);

        var (_, ownerText) = await host.MailAsync(owner.Email, "Your password expires on");
        Assert.Contains("Dear Olive Owner", ownerText);
        var (adminMail, adminText) = await host.MailAsync(admin.Email, "Olive Owner's password expires on");
        Assert.Contains("The password of Olive Owner (Seven Day Surgery) expires on", adminText);
        Assert.Contains("Remind Olive Owner to change their password", adminText);
        await host.MailAsync(unknownAdmin, "Olive Owner's password expires on");

        Assert.Equal(new[] { owner.Email, admin.Email, unknownAdmin }.Order(StringComparer.Ordinal), await host.EmailRowsAsync(messageId));
        Assert.DoesNotContain(otherPracticeAdmin.Email, await host.EmailRowsAsync(messageId));
        Assert.Equal(new[] { owner.UserId, admin.UserId }.Order(), (await host.NoticeRowsAsync(messageId)).Order());

        var html = await host.HtmlAsync(adminMail.Id);
        Assert.Contains("<h1", html);
        Assert.Contains("Olive Owner&#x27;s password expires on", html);
    }

    [Fact]
    public async Task An_expired_password_tells_the_owner_and_admins_how_to_set_a_new_one()
    {
        var ods = NotificationsHost.NewOds();
        var owner = await host.RegisterAsync("practice-user", ods);
        var admin = await host.RegisterAsync("practice-admin", ods);
        var expiresAt = new DateTimeOffset(2026, 3, 3, 14, 0, 0, TimeSpan.Zero);
        await host.Publish(new CredentialExpired(Guid.CreateVersion7(), owner.UserId, CredentialKinds.Password, owner.UserId, owner.Email,
            owner.DisplayName, ods, expiresAt, 2, [admin.Email]));

        var (_, text) = await host.MailAsync(owner.Email, "Your password has expired");
        Assert.Contains("expired on Tuesday 3 March 2026 at 14:00", text);
        Assert.Contains("Set a new password at https://portal.test/account/password/expired", text);
        await host.MailAsync(admin.Email, "password has expired");
        await host.NoticeAsync(owner, "credential-expired");
        await host.NoticeAsync(admin, "credential-expired");
    }

    [Fact]
    public async Task An_expiring_client_secret_tells_the_practice_admins_with_the_rotation_link()
    {
        var ods = NotificationsHost.NewOds();
        var admin = await host.RegisterAsync("practice-admin", ods);
        var creator = await host.RegisterAsync("practice-user", ods);
        var messageId = Guid.NewGuid();
        await host.Publish(new CredentialExpiring(Guid.CreateVersion7(), Guid.NewGuid(), CredentialKinds.ClientSecret, creator.UserId, null,
            "Clinical system feed", ods, 30, DateTimeOffset.UtcNow.AddDays(30), 1, [admin.Email]), messageId);

        var (_, text) = await host.MailAsync(admin.Email, "System client secret \"Clinical system feed\" expires on");
        Assert.Contains("Rotate the secret before then at https://portal.test/practice/credentials", text);
        Assert.Equal([admin.Email], await host.EmailRowsAsync(messageId));
        await host.NoticeAsync(admin, "credential-expiring");
    }

    [Fact]
    public async Task Invitations_and_resets_send_the_single_use_link_by_email_only()
    {
        var ods = NotificationsHost.NewOds();
        await host.RegisterPracticeAsync(ods, "QWE", "Invite Surgery");
        var inviter = await host.RegisterAsync("practice-admin", ods, name: "Ian Inviter");
        var invitedId = Guid.CreateVersion7();
        var invitedEmail = NotificationsHost.NewEmail("invited");
        var setPassword = new Uri($"https://portal.test/set-password?email={Uri.EscapeDataString(invitedEmail)}&token=abc123");
        var inviteId = Guid.NewGuid();
        await host.Publish(new UserInvited(invitedId, invitedEmail, "Nina New", ods, "practice-user", setPassword, DateTimeOffset.UtcNow.AddDays(3), inviter.UserId), inviteId);

        var (_, inviteText) = await host.MailAsync(invitedEmail, "You are invited to the GP Payments Platform for Invite Surgery");
        Assert.Contains("Ian Inviter has invited you", inviteText);
        Assert.Contains(setPassword.ToString(), inviteText);
        Assert.Contains("It works once, until", inviteText);
        Assert.Empty(await host.NoticeRowsAsync(inviteId));

        var owner = await host.RegisterAsync("practice-user", ods);
        var reset = new Uri("https://portal.test/reset-password?email=x&token=single-use-token");
        var resetId = Guid.NewGuid();
        await host.Publish(new PasswordResetRequested(owner.UserId, owner.Email, owner.DisplayName, reset, DateTimeOffset.UtcNow.AddHours(1)), resetId);
        var (_, resetText) = await host.MailAsync(owner.Email, "Reset your GP Payments Platform password");
        Assert.Contains(reset.ToString(), resetText);
        Assert.Contains("If it was not you, ignore this email", resetText);
        Assert.Empty(await host.NoticeRowsAsync(resetId));
    }

    [Fact]
    public async Task The_demo_expiring_user_is_warned_by_email_and_in_the_app_even_before_the_directory_knows_them()
    {
        // As the local demo does it: Identity seeds expiring@a81001.demo (password expires in 6 days) and its first scan
        // publishes the 7-day warning, naming the practice's admin. Here the warning overtakes the registration.
        var ods = NotificationsHost.NewOds();
        var manager = await host.RegisterAsync("practice-admin", ods, name: "Practice Manager");
        var expiring = new TestPerson(Guid.CreateVersion7(), "expiring@a81001.demo", "Expiring Password User", "practice-user", ods, "QWE");
        await host.Publish(new CredentialExpiring(Guid.CreateVersion7(), expiring.UserId, CredentialKinds.Password, expiring.UserId, expiring.Email,
            expiring.DisplayName, ods, 7, DateTimeOffset.UtcNow.AddDays(6), 1, [manager.Email]));

        var (_, text) = await host.MailAsync(expiring.Email, "Your password expires on");
        Assert.Contains("Dear Expiring Password User", text);
        Assert.Contains("in 6 days", text);
        Assert.Contains("https://portal.test/account/password", text);
        await host.MailAsync(manager.Email, "Expiring Password User's password expires on");
        var notice = await host.NoticeAsync(expiring, "credential-expiring");
        Assert.Contains("Your password expires on", notice.Title);
        Assert.Equal(1, (await host.InboxAsync(expiring)).Unread);

        await host.Publish(new UserRegistered(expiring.UserId, expiring.Email, expiring.DisplayName, ["practice-user"], ods, "QWE", DateTimeOffset.UtcNow));
        await host.WaitUntilAsync(db => Task.FromResult(db.People.Any(p => p.UserId == expiring.UserId)));
    }
}
