using Identity.Api;
using Identity.Api.Application;
using Identity.Api.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Contracts.Identity;
using Platform.Testing;

namespace Identity.Tests;

public sealed class DemoDataTests(MessagingServers servers)
{
    [Fact]
    public async Task Demo_accounts_sign_in_with_the_readme_password_and_the_expiring_one_is_warned_on_the_first_scan()
    {
        await using var app = await IdentityApp.StartAsync(servers, new() { [DemoData.ConfigurationKey] = "true" });

        var expected = new Dictionary<string, (string Role, string? Practice, string? Icb)>
        {
            ["admin@platform.demo"] = ("platform-admin", null, null),
            ["manager@a81001.demo"] = ("practice-admin", "A81001", null),
            ["user@a81001.demo"] = ("practice-user", "A81001", null),
            ["user@b82002.demo"] = ("practice-user", "B82002", null),
            ["commissioner@qwe.demo"] = ("commissioner", null, "QWE"),
        };
        foreach (var (email, (role, practice, icb)) in expected)
        {
            var token = await app.PasswordGrantAsync(email, "Demo-Password-2026!");
            Assert.True(token.IsSuccess, $"{email}: {token.Raw}");
            var claims = JwtPayload.Read(token.AccessToken!);
            Assert.Equal(role, claims.GetProperty("role").GetString());
            Assert.Equal(practice, claims.TryGetProperty("practice", out var p) ? p.GetString() : null);
            Assert.Equal(icb, claims.TryGetProperty("icb", out var i) ? i.GetString() : null);
        }

        var expired = await app.PasswordGrantAsync("expired@a81001.demo", "Demo-Password-2026!");
        Assert.Equal("password_expired", expired.Code);
        Assert.Equal(app.Time.GetUtcNow().AddDays(-1), expired.Body.PasswordExpiredAt);

        Assert.Equal(TimeSpan.FromMinutes(1), app.Services.GetRequiredService<IOptions<ExpiryScanOptions>>().Value.Interval);
        await app.InScopeAsync(services => services.GetRequiredService<CredentialExpiryScanner>().ScanAsync(CancellationToken.None));
        var warning = Assert.Single(await app.OutboxAsync<CredentialExpiring>());
        Assert.Equal(("expiring@a81001.demo", 7), (warning.Email, warning.ThresholdDays));
        Assert.Equal(["manager@a81001.demo"], warning.PracticeAdminEmails);
        Assert.Equal("expired@a81001.demo", Assert.Single(await app.OutboxAsync<CredentialExpired>()).Email);
        Assert.Equal(2, (await app.OutboxAsync<PracticeRegistered>()).Count);
        Assert.Equal(7, (await app.OutboxAsync<UserRegistered>()).Count);
    }

    [Fact]
    public async Task Seeding_twice_creates_nothing_twice()
    {
        var database = await servers.CreateDatabaseAsync("identity");
        await using (await IdentityApp.StartAsync(servers, new() { [DemoData.ConfigurationKey] = "true" }, database))
        {
        }

        await using var again = await IdentityApp.StartAsync(servers, new() { [DemoData.ConfigurationKey] = "true" }, database);
        Assert.Equal(7, (await again.OutboxAsync<UserRegistered>()).Count);
    }
}
