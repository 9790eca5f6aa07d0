using System.Net;
using System.Net.Http.Json;
using System.Web;
using Identity.Api.Apis;
using Platform.Contracts.Identity;
using Platform.Testing;

namespace Identity.Tests;

/// <summary>
/// Moving the sign-in email: it needs the password, the new address is confirmed from its mailbox before anyone signs
/// in with it, and the old address is told with a link that puts it back and shuts whoever moved it out.
/// </summary>
public sealed class EmailChangeTests(MessagingServers servers)
{
    private const string NewPassword = "a brand new orchard passphrase";

    [Fact]
    public async Task Moving_the_sign_in_email_needs_the_current_password_and_a_token_alone_changes_nothing()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);
        using var client = await app.ClientForAsync("user@a81001.test");

        using var tokenOnly = await client.PutAsJsonAsync("/api/identity/me/contact", new { email = "attacker@evil.test", displayName = "User" });
        using var wrong = await client.PutAsJsonAsync("/api/identity/me/contact",
            new { email = "attacker@evil.test", displayName = "User", currentPassword = "a guessed password" });
        using var nameOnly = await client.PutAsJsonAsync("/api/identity/me/contact", new { email = "USER@a81001.test", displayName = "Renamed Only" });

        Assert.Equal(("currentPassword", "required"), await FirstErrorAsync(tokenOnly));
        Assert.Equal(("currentPassword", "incorrect_password"), await FirstErrorAsync(wrong));
        Assert.Equal(HttpStatusCode.OK, nameOnly.StatusCode); // the name alone does not move the sign-in
        Assert.True((await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).IsSuccess);
        Assert.False((await app.PasswordGrantAsync("attacker@evil.test", IdentityApp.Password)).IsSuccess);
        var renamed = Assert.Single(await app.OutboxAsync<UserContactChanged>());
        Assert.Equal(("USER@a81001.test", "Renamed Only", null), (renamed.Email, renamed.DisplayName, renamed.PreviousEmail));
        Assert.Empty(await app.OutboxAsync<EmailChangeRequested>());
    }

    [Fact]
    public async Task A_new_email_is_the_sign_in_name_only_once_the_link_sent_to_it_is_opened()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        var user = await app.CreateUserAsync("user@a81001.test", ods: null);
        using var client = await app.ClientForAsync("user@a81001.test");

        using var asked = await client.PutAsJsonAsync("/api/identity/me/contact",
            new { email = "new.address@a81001.test", displayName = "Renamed User", currentPassword = IdentityApp.Password });

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var profile = await asked.Content.ReadFromJsonAsync<MeApi.Profile>();
        Assert.Equal(("user@a81001.test", "new.address@a81001.test", "Renamed User"), (profile!.Email, profile.PendingEmail, profile.DisplayName));
        Assert.False((await app.PasswordGrantAsync("new.address@a81001.test", IdentityApp.Password)).IsSuccess);
        Assert.True((await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).IsSuccess);
        var requested = Assert.Single(await app.OutboxAsync<EmailChangeRequested>());
        Assert.Equal((user.Id, "new.address@a81001.test"), (requested.UserId, requested.NewEmail));
        Assert.StartsWith("http://portal.test/account/email/confirm?token=", requested.ConfirmLink.ToString(), StringComparison.Ordinal);

        using var confirmed = await app.CreateClient().PostAsJsonAsync("/api/identity/email-changes/confirm", new { token = TokenOf(requested.ConfirmLink) });
        using var again = await app.CreateClient().PostAsJsonAsync("/api/identity/email-changes/confirm", new { token = TokenOf(requested.ConfirmLink) });

        Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
        Assert.Equal("invalid_token", await CodeAsync(again));
        Assert.True((await app.PasswordGrantAsync("new.address@a81001.test", IdentityApp.Password)).IsSuccess);
        Assert.False((await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).IsSuccess);
        var moved = (await app.OutboxAsync<UserContactChanged>()).Last();
        Assert.Equal(("new.address@a81001.test", "user@a81001.test"), (moved.Email, moved.PreviousEmail));
        Assert.StartsWith("http://portal.test/account/email/undo?token=", moved.UndoLink!.ToString(), StringComparison.Ordinal);
        var after = await client.GetFromJsonAsync<MeApi.Profile>("/api/identity/me", TestContext.Current.CancellationToken);
        Assert.Null(after!.PendingEmail);
    }

    [Fact]
    public async Task Asking_for_an_address_another_account_uses_answers_the_same_and_its_link_cannot_take_it()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);
        await app.CreateUserAsync("someone.else@b82002.test", ods: null);
        using var client = await app.ClientForAsync("user@a81001.test");

        using var free = await client.PutAsJsonAsync("/api/identity/me/contact",
            new { email = "free@a81001.test", displayName = "User", currentPassword = IdentityApp.Password });
        using var taken = await client.PutAsJsonAsync("/api/identity/me/contact",
            new { email = "someone.else@b82002.test", displayName = "User", currentPassword = IdentityApp.Password });

        Assert.Equal(free.StatusCode, taken.StatusCode);
        Assert.Equal("someone.else@b82002.test", (await taken.Content.ReadFromJsonAsync<MeApi.Profile>())!.PendingEmail);
        var link = (await app.OutboxAsync<EmailChangeRequested>()).Last().ConfirmLink;
        using var confirmed = await app.CreateClient().PostAsJsonAsync("/api/identity/email-changes/confirm", new { token = TokenOf(link) });
        Assert.Equal((HttpStatusCode.Conflict, "email_taken"), (confirmed.StatusCode, await CodeAsync(confirmed)));
        Assert.True((await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).IsSuccess);
        Assert.True((await app.PasswordGrantAsync("someone.else@b82002.test", IdentityApp.Password)).IsSuccess);
    }

    [Fact]
    public async Task Undoing_from_the_old_address_puts_it_back_ends_every_session_and_sends_a_reset_link_there()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);
        var attacker = await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password);
        using var client = await app.ClientForAsync("user@a81001.test");
        await client.PutAsJsonAsync("/api/identity/me/contact",
            new { email = "attacker@evil.test", displayName = "User", currentPassword = IdentityApp.Password });
        await app.CreateClient().PostAsJsonAsync("/api/identity/email-changes/confirm",
            new { token = TokenOf(Assert.Single(await app.OutboxAsync<EmailChangeRequested>()).ConfirmLink) });
        var undoLink = (await app.OutboxAsync<UserContactChanged>()).Last().UndoLink!;

        using var undone = await app.CreateClient().PostAsJsonAsync("/api/identity/email-changes/undo", new { token = TokenOf(undoLink) });

        Assert.Equal(HttpStatusCode.NoContent, undone.StatusCode);
        // The attacker knew the password: it no longer works, and neither do their tokens.
        Assert.False((await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).IsSuccess);
        Assert.False((await app.PasswordGrantAsync("attacker@evil.test", IdentityApp.Password)).IsSuccess);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/identity/me", TestContext.Current.CancellationToken)).StatusCode);
        Assert.False((await app.RefreshAsync(attacker.RefreshToken!)).IsSuccess);
        var restored = (await app.OutboxAsync<UserContactChanged>()).Last();
        Assert.Equal(("user@a81001.test", null, null), (restored.Email, restored.PreviousEmail, restored.UndoLink)); // nothing goes to the attacker's address
        // The owner chooses a new password from the link sent to their own address.
        var reset = Assert.Single(await app.OutboxAsync<PasswordResetRequested>());
        Assert.Equal("user@a81001.test", reset.Email);
        using var chosen = await app.CreateClient().PostAsJsonAsync("/api/identity/password/resets",
            new { email = "user@a81001.test", token = TokenOf(reset.ResetLink), newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, chosen.StatusCode);
        Assert.True((await app.PasswordGrantAsync("user@a81001.test", NewPassword)).IsSuccess);
        using var twice = await app.CreateClient().PostAsJsonAsync("/api/identity/email-changes/undo", new { token = TokenOf(undoLink) });
        Assert.Equal("invalid_token", await CodeAsync(twice));
    }

    [Theory]
    [InlineData("/api/identity/email-changes/confirm")]
    [InlineData("/api/identity/email-changes/undo")]
    public async Task A_made_up_or_missing_token_is_refused_and_changes_nothing(string path)
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);

        using var madeUp = await app.CreateClient().PostAsJsonAsync(path, new { token = "made-up" });
        using var missing = await app.CreateClient().PostAsJsonAsync(path, new { });

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_token"), (madeUp.StatusCode, await CodeAsync(madeUp)));
        Assert.Equal(("token", "required"), await FirstErrorAsync(missing));
        Assert.True((await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).IsSuccess);
        Assert.Empty(await app.OutboxAsync<UserContactChanged>());
    }

    private static string TokenOf(Uri link) => HttpUtility.ParseQueryString(link.Query)["token"]!;

    private static async Task<string?> CodeAsync(HttpResponseMessage response) => (await response.ReadProblemAsync()).Code;

    private static async Task<(string?, string?)> FirstErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.ReadProblemAsync()).FieldErrors[0];
        return (error.Field, error.Code);
    }
}
