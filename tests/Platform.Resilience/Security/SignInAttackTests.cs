using System.Net;
using Platform.Resilience.Running;
using Platform.Resilience.Tenancy;
using Platform.Testing;

namespace Platform.Resilience.Security;

/// <summary>
/// Guessing passwords meets the lockout (5 failures in a row lock the account, even against the right password) and the
/// gateway's sign-in limit (10 a minute per address and per username), whether the guesses come from one address or many.
/// </summary>
public sealed class SignInAttackTests(ResiliencePlatform platform)
{
    /// <summary>Within this many attempts in under a minute, at least 11 fall in one fixed window, wherever its edges are.</summary>
    private const int Attempts = 21;

    [Fact(Timeout = 300_000)]
    public async Task Guessing_from_one_address_locks_the_account_and_meets_the_rate_limit()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var victim = (await platform.TenantsAsync(cancellationToken)).TakeWarnedUser();
        var attacker = ApiClient.Anonymous(platform.Gateway, Addresses.Next());

        var codes = new List<string>();
        for (var i = 1; i <= 5; i++) codes.Add(await SignInAsync(attacker, victim.Email, $"guess number {i} of many"));
        Assert.Equal(["invalid_credentials", "invalid_credentials", "invalid_credentials", "invalid_credentials", "account_locked"], codes);

        // Locked: even the right password does not sign in now.
        Assert.Equal("account_locked", await SignInAsync(attacker, victim.Email, victim.Password));
        await using (var command = platform.Database("identitydb").CreateCommand("SELECT lockout_end > now() FROM users WHERE id = @id"))
        {
            command.Parameters.AddWithValue("id", victim.Id);
            Assert.True((bool)(await command.ExecuteScalarAsync(cancellationToken))!);
        }

        var limited = false;
        for (var i = 0; i < Attempts && !limited; i++)
        {
            limited = await SignInAsync(attacker, victim.Email, $"another guess {i}") == "too_many_requests";
        }

        Assert.True(limited, "Guessing from one address never met the sign-in rate limit.");
    }

    [Fact(Timeout = 300_000)]
    public async Task Guessing_one_account_from_many_addresses_meets_the_per_username_limit()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var victim = (await platform.TenantsAsync(cancellationToken)).TakeWarnedUser();

        var codes = new List<string>();
        for (var i = 0; i < Attempts && !codes.Contains("too_many_requests"); i++)
        {
            codes.Add(await SignInAsync(ApiClient.Anonymous(platform.Gateway, Addresses.Next()), victim.Email, $"distributed guess {i}"));
        }

        Assert.Contains("too_many_requests", codes);
        Assert.Contains("account_locked", codes);
    }

    /// <summary>The stable code of a failed password grant (or of the gateway's 429), or "signed_in".</summary>
    private async Task<string> SignInAsync(ApiClient client, string username, string password)
    {
        using var request = PasswordGrant.Request(username, password);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await ApiClient.BodyAsync(response, TestContext.Current.CancellationToken);
        if (response.IsSuccessStatusCode) return "signed_in";
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            Assert.True(response.Headers.RetryAfter is not null, "A 429 without Retry-After.");
        }

        return body.Code ?? $"status {(int)response.StatusCode}";
    }
}
