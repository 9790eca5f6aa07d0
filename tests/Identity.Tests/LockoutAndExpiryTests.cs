using System.Net;
using System.Net.Http.Json;
using Platform.Testing;

namespace Identity.Tests;

public sealed class LockoutAndExpiryTests(MessagingServers servers)
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_with_the_unlock_time_and_it_unlocks_after_15_minutes()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);
        var lockedAt = app.Time.GetUtcNow();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            Assert.Equal("invalid_credentials", (await app.PasswordGrantAsync("user@a81001.test", "wrong guess number " + attempt)).Code);
        }

        var fifth = await app.PasswordGrantAsync("user@a81001.test", "wrong guess number 5");
        Assert.Equal("invalid_grant", fifth.Error);
        Assert.Equal("account_locked", fifth.Code);
        Assert.Equal(lockedAt.AddMinutes(15), fifth.Body.UnlockAt);
        Assert.Contains("locked", fifth.ErrorDescription);

        // Even the right password is refused while locked.
        app.Time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal("account_locked", (await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).Code);

        app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).IsSuccess);
    }

    [Fact]
    public async Task A_name_with_no_account_locks_exactly_as_a_real_account_does_so_a_lockout_reveals_nothing()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("real@a81001.test", ods: null);
        var unknown = $"nobody.{Guid.NewGuid():N}@a81001.test";

        async Task<List<string>> SixWrongGuessesAsync(string name)
        {
            var answers = new List<string>();
            for (var attempt = 1; attempt <= 6; attempt++)
            {
                var answer = await app.PasswordGrantAsync(name, "wrong guess number " + attempt);
                answers.Add($"{answer.Error} {answer.Code} {answer.Body.UnlockAt:O}");
            }
            return answers;
        }

        var real = await SixWrongGuessesAsync("real@a81001.test");
        var made = await SixWrongGuessesAsync(unknown);

        Assert.Equal(real, made);
        Assert.Equal(2, made.Count(answer => answer.Contains("account_locked", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Parallel_wrong_guesses_cannot_exceed_the_lockout_limit()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => app.PasswordGrantAsync("user@a81001.test", "parallel wrong guess " + i)));

        Assert.True(answers.Count(answer => answer.Code == "invalid_credentials") <= 4);
        Assert.Equal("account_locked", (await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).Code);
    }

    [Fact]
    public async Task Expired_password_gets_invalid_grant_with_error_uri_then_change_expired_lets_the_user_sign_in()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);
        app.Time.Advance(TimeSpan.FromDays(180));

        var expired = await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password);

        Assert.Equal(400, expired.Status);
        Assert.Equal("invalid_grant", expired.Error);
        Assert.Equal("password_expired", expired.Code);
        Assert.Contains("password expired", expired.ErrorDescription);
        Assert.Equal("http://localhost/api/identity/password/change-expired", expired.ErrorUri);

        using var client = app.CreateClient();
        using var wrongCurrent = await client.PostAsJsonAsync(expired.ErrorUri, new { username = "user@a81001.test", currentPassword = "not my password", newPassword = "a fresh passphrase for 2027" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrongCurrent.StatusCode);

        using var changed = await client.PostAsJsonAsync(expired.ErrorUri, new { username = "user@a81001.test", currentPassword = IdentityApp.Password, newPassword = "a fresh passphrase for 2027" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        var signIn = await app.PasswordGrantAsync("user@a81001.test", "a fresh passphrase for 2027");
        Assert.True(signIn.IsSuccess, signIn.Raw);
        Assert.Equal("invalid_credentials", (await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).Code);
    }

    [Fact]
    public async Task Behind_the_gateway_the_error_uri_is_under_the_configured_issuer()
    {
        await using var app = await IdentityApp.StartAsync(servers, new() { ["Identity:Server:Issuer"] = "http://gateway.test:8080/" });
        await app.CreateUserAsync("user@a81001.test", ods: null);
        app.Time.Advance(TimeSpan.FromDays(181));

        var expired = await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password);

        Assert.Equal("http://gateway.test:8080/api/identity/password/change-expired", expired.ErrorUri);
    }

    [Fact]
    public async Task Change_expired_refuses_a_password_that_has_not_expired_and_a_reused_one()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);
        using var client = app.CreateClient();

        using var notExpired = await client.PostAsJsonAsync("/api/identity/password/change-expired", new { username = "user@a81001.test", currentPassword = IdentityApp.Password, newPassword = "a fresh passphrase for 2027" });
        Assert.Equal(HttpStatusCode.Conflict, notExpired.StatusCode);
        Assert.Equal("password_not_expired", (await notExpired.ReadProblemAsync()).Code);

        app.Time.Advance(TimeSpan.FromDays(181));
        using var same = await client.PostAsJsonAsync("/api/identity/password/change-expired", new { username = "user@a81001.test", currentPassword = IdentityApp.Password, newPassword = IdentityApp.Password });
        Assert.Equal(HttpStatusCode.BadRequest, same.StatusCode);
        Assert.Contains("password_reused", await same.Content.ReadAsStringAsync());
    }
}
