using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Notifications.Api.Consumers;
using Platform.Contracts.Identity;
using Platform.Messaging;

namespace Notifications.Tests;

/// <summary>Password changes and lockouts: the owner hears of every password change, the practice admins of a lockout.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class AccountSecurityNotificationTests(NotificationsHost host)
{
    [Fact]
    public async Task A_password_change_tells_the_owner_what_to_do_if_it_was_not_them()
    {
        var ods = NotificationsHost.NewOds();
        var owner = await host.RegisterAsync("practice-user", ods, name: "Pat Owner");
        var admin = await host.RegisterAsync("practice-admin", ods);
        var messageId = Guid.NewGuid();
        await host.Publish(new PasswordChanged(owner.UserId, owner.Email, owner.DisplayName, ods,
            new DateTimeOffset(2026, 3, 3, 14, 0, 0, TimeSpan.Zero), PasswordChangeMethods.Reset), messageId);

        var (mail, text) = await host.MailAsync(owner.Email, "Your GP Payments Platform password was changed");
        Assert.Contains("Dear Pat Owner", text);
        Assert.Contains("reset with a link sent by email on Tuesday 3 March 2026 at 14:00", text);
        Assert.Contains("If this wasn't you", text);
        Assert.Contains("Reset it now at https://portal.test/forgot-password", text);
        Assert.Contains("Your practice admin can also help you", text);
        Assert.Contains("href=\"https://portal.test/forgot-password\"", await host.HtmlAsync(mail.Id));
        Assert.Equal([owner.Email], await host.EmailRowsAsync(messageId));

        var notice = await host.NoticeAsync(owner, "password-changed");
        Assert.Equal("https://portal.test/forgot-password", notice.Link);
        Assert.Equal(0, (await host.InboxAsync(admin)).Total);
    }

    [Fact]
    public async Task A_changed_sign_in_email_is_told_to_the_address_it_left_with_a_link_back_and_a_name_change_is_not()
    {
        var ods = NotificationsHost.NewOds();
        var owner = await host.RegisterAsync("practice-user", ods, name: "Pat Owner");
        var newEmail = NotificationsHost.NewEmail("moved");
        var moved = Guid.NewGuid();
        var renamed = Guid.NewGuid();
        await host.Publish(new UserContactChanged(owner.UserId, owner.Email, "Pat Renamed", new DateTimeOffset(2026, 3, 3, 13, 0, 0, TimeSpan.Zero)), renamed);
        await host.Publish(new UserContactChanged(owner.UserId, newEmail, owner.DisplayName,
            new DateTimeOffset(2026, 3, 3, 14, 0, 0, TimeSpan.Zero), PreviousEmail: owner.Email,
            UndoLink: new Uri("https://portal.test/account/email/undo?token=undo-token"), UndoLinkExpiresAt: new DateTimeOffset(2026, 3, 17, 14, 0, 0, TimeSpan.Zero)), moved);

        var (mail, text) = await host.MailAsync(owner.Email, "The email address of your GP Payments Platform account was changed");
        Assert.Contains("Dear Pat Owner", text);
        Assert.Contains($"changed from this address to {newEmail}", text);
        Assert.Contains("If this wasn't you", text);
        Assert.Contains("https://portal.test/account/email/undo?token=undo-token", text);
        Assert.Contains("until Tuesday 17 March 2026 at 14:00", text);
        Assert.Contains("href=\"https://portal.test/account/email/undo?token=undo-token\"", await host.HtmlAsync(mail.Id));
        Assert.Equal([owner.Email], await host.EmailRowsAsync(moved));
        await host.WaitUntilAsync(db => db.Set<InboxMessage>().AnyAsync(m => m.MessageId == renamed && m.ConsumerName == typeof(EmailChangedConsumer).FullName));
        Assert.Empty(await host.EmailRowsAsync(renamed));
    }

    [Fact]
    public async Task A_new_sign_in_email_gets_the_confirmation_link_and_nothing_goes_to_the_inbox()
    {
        var owner = await host.RegisterAsync("practice-user", NotificationsHost.NewOds(), name: "Pat Owner");
        var newEmail = NotificationsHost.NewEmail("new");
        var messageId = Guid.NewGuid();
        await host.Publish(new EmailChangeRequested(owner.UserId, newEmail, owner.DisplayName,
            new Uri("https://portal.test/account/email/confirm?token=confirm-token"), new DateTimeOffset(2026, 3, 4, 14, 0, 0, TimeSpan.Zero)), messageId);

        var (mail, text) = await host.MailAsync(newEmail, "Confirm your new email address");
        Assert.Contains("Dear Pat Owner", text);
        Assert.Contains("https://portal.test/account/email/confirm?token=confirm-token", text);
        Assert.Contains("until Wednesday 4 March 2026 at 14:00", text);
        Assert.Contains("If it was not you, ignore this email", text);
        Assert.Contains("href=\"https://portal.test/account/email/confirm?token=confirm-token\"", await host.HtmlAsync(mail.Id));
        Assert.Equal([newEmail], await host.EmailRowsAsync(messageId));
        Assert.Empty(await host.NoticeRowsAsync(messageId)); // a single-use link does not sit in an inbox page
    }

    [Fact]
    public async Task Password_change_and_lockout_notices_cannot_be_turned_off()
    {
        var person = await host.RegisterAsync("practice-admin", NotificationsHost.NewOds());
        using var client = host.Factory.ClientFor(person.UserId, person.Role, person.PracticeOds, person.Icb);
        var ct = TestContext.Current.CancellationToken;

        foreach (var kind in new[] { "password-changed", "user-locked-out" })
        {
            using var refused = await client.PutAsJsonAsync("/api/notifications/preferences", new { emails = new[] { new { kind, enabled = false } } }, ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("security_notice", await refused.Content.ReadAsStringAsync(ct));
        }
    }

    [Fact]
    public async Task A_lockout_tells_the_practice_admins_who_until_when_and_where_to_help()
    {
        var ods = NotificationsHost.NewOds();
        await host.RegisterPracticeAsync(ods, "QWE", "Lockout Surgery");
        var locked = await host.RegisterAsync("practice-user", ods, name: "Lee Locked");
        var admin = await host.RegisterAsync("practice-admin", ods);
        var otherPracticeAdmin = await host.RegisterAsync("practice-admin", NotificationsHost.NewOds());
        var unknownAdmin = NotificationsHost.NewEmail("unknown-admin");
        var messageId = Guid.NewGuid();
        await host.Publish(new UserLockedOut(locked.UserId, locked.Email, locked.DisplayName, ods,
            new DateTimeOffset(2026, 12, 5, 15, 45, 0, TimeSpan.Zero), [admin.Email, unknownAdmin]), messageId);

        var (mail, text) = await host.MailAsync(admin.Email, "A user at your practice is locked out");
        Assert.Contains($"Lee Locked ({locked.Email}) at Lockout Surgery is locked out", text);
        Assert.Contains("try again after Saturday 5 December 2026 at 15:45", text);
        Assert.Contains("https://portal.test/practice/users", text);
        Assert.Contains("href=\"https://portal.test/practice/users\"", await host.HtmlAsync(mail.Id));
        await host.MailAsync(unknownAdmin, "A user at your practice is locked out");

        Assert.Equal(new[] { admin.Email, unknownAdmin }.Order(StringComparer.Ordinal), await host.EmailRowsAsync(messageId));
        Assert.DoesNotContain(locked.Email, await host.EmailRowsAsync(messageId));
        Assert.DoesNotContain(otherPracticeAdmin.Email, await host.EmailRowsAsync(messageId));
        var notice = await host.NoticeAsync(admin, "user-locked-out");
        Assert.Equal("https://portal.test/practice/users", notice.Link);
        Assert.Equal([admin.UserId], await host.NoticeRowsAsync(messageId));
    }
}
