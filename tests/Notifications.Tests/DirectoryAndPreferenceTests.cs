using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Notifications.Api.Apis;
using Platform.Contracts.Identity;
using Platform.Contracts.Payments;
using Platform.Messaging;
using Platform.Testing;

namespace Notifications.Tests;

/// <summary>The directory follows Identity's events; preferences turn optional emails off; a redelivery sends nothing more.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class DirectoryAndPreferenceTests(NotificationsHost host)
{
    private static PaymentSettled Settled(string ods, decimal amount) => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), 1, ods, "FLU", "2026-10", amount, "GBP",
        [new PaymentLine("FLU_65_PLUS", 1, amount, amount)], $"{ods}-R{Random.Shared.Next(100000, 999999)}", DateTimeOffset.UtcNow);

    [Fact]
    public async Task Mail_follows_a_contact_change_and_a_disabled_person_is_told_nothing_more()
    {
        var ods = NotificationsHost.NewOds();
        var moving = await host.RegisterAsync("practice-admin", ods);
        var leaving = await host.RegisterAsync("practice-admin", ods);
        var staying = await host.RegisterAsync("practice-admin", ods);
        var newEmail = NotificationsHost.NewEmail("moved");
        await host.Publish(new UserContactChanged(moving.UserId, newEmail, "Moved Admin", DateTimeOffset.UtcNow));
        await host.Publish(new UserDisabled(leaving.UserId, leaving.Email, ods, null, DateTimeOffset.UtcNow));
        await host.WaitUntilAsync(async db =>
            (await db.People.FindAsync([moving.UserId]))!.Email == newEmail && (await db.People.FindAsync([leaving.UserId]))!.DisabledAt != null);

        // An older contact change arriving late does not undo the newer one: handled before the payment is announced.
        var lateChange = NewId();
        await host.Publish(new UserContactChanged(moving.UserId, moving.Email, "Old Name", DateTimeOffset.UtcNow.AddMinutes(-5)), lateChange);
        await host.WaitUntilAsync(db => db.Set<InboxMessage>().AnyAsync(m => m.MessageId == lateChange));

        var messageId = Guid.NewGuid();
        await host.Publish(Settled(ods, 77.70m), messageId);
        var (_, text) = await host.MailAsync(newEmail, "£77.70");
        Assert.Contains("Dear Moved Admin", text);
        await host.MailAsync(staying.Email, "£77.70");
        Assert.Equal(new[] { newEmail, staying.Email }.Order(StringComparer.Ordinal), await host.EmailRowsAsync(messageId));
    }

    [Fact]
    public async Task A_contact_change_that_overtakes_the_registration_still_wins()
    {
        var ods = NotificationsHost.NewOds();
        var userId = Guid.CreateVersion7();
        var current = NotificationsHost.NewEmail("current");
        await host.Publish(new UserContactChanged(userId, current, "Current Name", DateTimeOffset.UtcNow));
        await host.WaitUntilAsync(async db => await db.People.FindAsync([userId]) is not null);
        await host.Publish(new UserRegistered(userId, NotificationsHost.NewEmail("original"), "Original Name", ["practice-admin"], ods, "QWE", DateTimeOffset.UtcNow.AddMinutes(-10)));
        await host.WaitUntilAsync(async db => (await db.People.FindAsync([userId]))!.RegisteredAt != null);

        await host.Publish(Settled(ods, 12.34m));
        var (_, text) = await host.MailAsync(current, "£12.34");
        Assert.Contains("Dear Current Name", text);
    }

    [Fact]
    public async Task A_turned_off_optional_email_still_reaches_the_inbox_and_security_notices_cannot_be_turned_off()
    {
        var ods = NotificationsHost.NewOds();
        var admin = await host.RegisterAsync("practice-admin", ods);
        var other = await host.RegisterAsync("practice-admin", ods);
        using var client = host.Factory.ClientFor(admin.UserId, admin.Role, ods);
        var ct = TestContext.Current.CancellationToken;

        var refused = await client.PutAsJsonAsync("/api/notifications/preferences",
            new { emails = new[] { new { kind = "credential-expiring", enabled = false } } }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.ReadProblemAsync(ct);
        Assert.Equal("validation_failed", problem.Code);
        Assert.Equal("security_notice", problem.FieldErrors[0].Code);

        var unknown = await client.PutAsJsonAsync("/api/notifications/preferences", new { emails = new[] { new { kind = "lottery-win", enabled = false } } }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        var saved = await client.PutAsJsonAsync("/api/notifications/preferences",
            new { emails = new[] { new { kind = "payment-settled", enabled = false }, new { kind = "credential-expiring", enabled = true } } }, ct);
        saved.EnsureSuccessStatusCode();
        var preferences = (await client.GetFromJsonAsync<Preferences>("/api/notifications/preferences", ct))!;
        var settled = preferences.Emails.Single(e => e.Kind == "payment-settled");
        Assert.False(settled.Enabled);
        Assert.True(settled.CanTurnOff);
        Assert.False(preferences.Emails.Single(e => e.Kind == "password-reset").CanTurnOff);

        var messageId = Guid.NewGuid();
        await host.Publish(Settled(ods, 43.21m), messageId);
        await host.MailAsync(other.Email, "£43.21");
        Assert.Equal([other.Email], await host.EmailRowsAsync(messageId));
        await host.NoticeAsync(admin, "payment-settled");

        // A security notice still arrives by email.
        await host.Publish(new CredentialExpiring(Guid.CreateVersion7(), admin.UserId, CredentialKinds.Password, admin.UserId, admin.Email,
            admin.DisplayName, ods, 1, DateTimeOffset.UtcNow.AddDays(1), 1, []));
        await host.MailAsync(admin.Email, "Your password expires on");
    }

    [Fact]
    public async Task A_redelivered_event_sends_nothing_more()
    {
        var ods = NotificationsHost.NewOds();
        var admin = await host.RegisterAsync("practice-admin", ods);
        var settled = Settled(ods, 50.30m);
        var messageId = NewId();
        await host.Publish(settled, messageId);
        await host.MailAsync(admin.Email, "£50.30");

        var handledAgain = new TaskCompletionSource();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "inbox handle PaymentSettled" && activity.GetTagItem("messaging.message.id") as string == messageId.ToString("D"))
                {
                    handledAgain.TrySetResult();
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await host.Publish(settled, messageId);
        await handledAgain.Task.WaitAsync(NotificationsHost.MailWait, TestContext.Current.CancellationToken);

        Assert.Single(await host.MailToAsync(admin.Email), m => m.Subject.Contains("£50.30", StringComparison.Ordinal));
        Assert.Equal([admin.Email], await host.EmailRowsAsync(messageId));
        Assert.Single(await host.NoticeRowsAsync(messageId));
    }

    private static Guid NewId() => MassTransit.NewId.NextGuid();
}
