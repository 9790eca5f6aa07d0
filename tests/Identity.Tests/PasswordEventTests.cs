using System.Net;
using System.Net.Http.Json;
using System.Web;
using Platform.Contracts.Identity;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Identity.Tests;

/// <summary>PasswordChanged and UserLockedOut: saved to the outbox with the change that caused them, once each.</summary>
public sealed class PasswordEventTests(MessagingServers servers)
{
    [Fact]
    public async Task Every_way_of_setting_a_password_publishes_PasswordChanged_saying_how()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        var user = await app.CreateUserAsync("user@a81001.test");
        Assert.Empty(await app.OutboxAsync<PasswordChanged>()); // seeding an account is not a change
        using var anonymous = app.CreateClient();

        using (var client = await app.ClientForAsync("user@a81001.test"))
        {
            using var changed = await client.PostAsJsonAsync("/api/identity/password/change", new { currentPassword = IdentityApp.Password, newPassword = "second passphrase 2026" });
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        app.Time.Advance(TimeSpan.FromDays(181));
        using var expired = await anonymous.PostAsJsonAsync("/api/identity/password/change-expired",
            new { username = "user@a81001.test", currentPassword = "second passphrase 2026", newPassword = "third passphrase 2026" });
        Assert.Equal(HttpStatusCode.NoContent, expired.StatusCode);

        await anonymous.PostAsJsonAsync("/api/identity/password/reset-requests", new { email = "user@a81001.test" });
        var resetToken = HttpUtility.ParseQueryString(Assert.Single(await app.OutboxAsync<PasswordResetRequested>()).ResetLink.Query)["token"];
        using var refused = await anonymous.PostAsJsonAsync("/api/identity/password/resets", new { email = "user@a81001.test", token = resetToken, newPassword = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using var reset = await anonymous.PostAsJsonAsync("/api/identity/password/resets", new { email = "user@a81001.test", token = resetToken, newPassword = "fourth passphrase 2026" });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);

        await app.CreateUserAsync("manager@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        using var manager = await app.ClientForAsync("manager@a81001.test");
        await manager.PostCreatingAsync("/api/identity/practices/A81001/users", new { email = "new@a81001.test", displayName = "New Person", role = PlatformRoles.PracticeUser });
        var inviteToken = HttpUtility.ParseQueryString(Assert.Single(await app.OutboxAsync<UserInvited>()).SetPasswordLink.Query)["token"];
        using var accepted = await anonymous.PostAsJsonAsync("/api/identity/invitations/accept", new { email = "new@a81001.test", token = inviteToken, newPassword = "first passphrase here" });
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);

        var events = await app.OutboxAsync<PasswordChanged>();
        Assert.Equal(
            [PasswordChangeMethods.Changed, PasswordChangeMethods.ExpiredChange, PasswordChangeMethods.Reset, PasswordChangeMethods.Invitation],
            events.Select(changed => changed.Method));
        Assert.All(events.Take(3), changed => Assert.Equal((user.Id, "user@a81001.test", "user", "A81001"), (changed.UserId, changed.Email, changed.DisplayName, changed.PracticeOds)));
        Assert.Equal(("new@a81001.test", "New Person"), (events[3].Email, events[3].DisplayName));
        Assert.Equal(app.Time.GetUtcNow(), events[3].ChangedAt);
    }

    [Fact]
    public async Task The_failure_that_locks_an_account_publishes_UserLockedOut_once_with_the_practice_admins()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        await app.RegisterPracticeAsync("B82002");
        await app.CreateUserAsync("manager@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        await app.CreateUserAsync("boss@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        await app.CreateUserAsync("manager@b82002.test", PlatformRoles.PracticeAdmin, "B82002");
        var user = await app.CreateUserAsync("user@a81001.test");
        var lockedAt = app.Time.GetUtcNow();

        // Ten parallel guesses: one of them locks the account, and only that one tells.
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => app.PasswordGrantAsync("user@a81001.test", "parallel wrong guess " + i)));
        Assert.All(answers, answer => Assert.Equal(400, answer.Status));
        Assert.Equal("account_locked", (await app.PasswordGrantAsync("user@a81001.test", "another guess while locked")).Code);

        var locked = Assert.Single(await app.OutboxAsync<UserLockedOut>());
        Assert.Equal((user.Id, "user@a81001.test", "A81001", lockedAt.AddMinutes(15)), (locked.UserId, locked.Email, locked.PracticeOds, locked.LockedUntil));
        Assert.Equal(["boss@a81001.test", "manager@a81001.test"], locked.PracticeAdminEmails);

        // The admin sees the lockout in the practice's user list, until it runs out.
        using var manager = await app.ClientForAsync("manager@a81001.test");
        var listed = (await manager.GetFromJsonAsync<UserPage>("/api/identity/practices/A81001/users"))!.Items;
        Assert.Equal(lockedAt.AddMinutes(15), listed!.Single(row => row.Email == "user@a81001.test").LockedUntil);
        Assert.Null(listed!.Single(row => row.Email == "boss@a81001.test").LockedUntil);

        app.Time.Advance(TimeSpan.FromMinutes(16));
        using var later = await app.ClientForAsync("manager@a81001.test"); // access tokens last 15 minutes
        listed = (await later.GetFromJsonAsync<UserPage>("/api/identity/practices/A81001/users"))!.Items;
        Assert.Null(listed!.Single(row => row.Email == "user@a81001.test").LockedUntil);

        // A new run of failures after the lockout ran out is a new lockout.
        for (var i = 0; i < 5; i++)
        {
            await app.PasswordGrantAsync("user@a81001.test", "later wrong guess " + i);
        }

        Assert.Equal(2, (await app.OutboxAsync<UserLockedOut>()).Count);
    }

    private sealed record UserRow(string Email, DateTimeOffset? LockedUntil);

    private sealed record UserPage(List<UserRow> Items, int Total);
}
