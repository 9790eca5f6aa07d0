using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Identity.Api.Application;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;

namespace Identity.Tests;

/// <summary>
/// A sign-in check does the same work whether the account exists, the password is wrong or right, or the account is
/// locked: one password-hash verification each (counted, not timed), so its answer time says nothing about the account.
/// </summary>
public sealed class SignInWorkTests(MessagingServers servers)
{
    [Fact]
    public async Task Every_sign_in_check_verifies_exactly_one_password_hash_whatever_the_account()
    {
        await using var app = await IdentityApp.StartAsync(servers, new() { ["Identity:Credentials:MaxFailedSignIns"] = "2" });
        await app.CreateUserAsync("known@a81001.test");
        await app.CreateUserAsync("locked@a81001.test");
        await app.PasswordGrantAsync("locked@a81001.test", "wrong one");
        await app.PasswordGrantAsync("locked@a81001.test", "wrong two"); // now locked
        var verifications = app.Services.GetRequiredService<PasswordVerifications>();
        var counted = new ConcurrentQueue<long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter == verifications.Meter) l.EnableMeasurementEvents(instrument); },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == PasswordVerifications.Name) counted.Enqueue(value);
        });
        listener.Start();

        var attempts = new (string Case, string User, string Password, string Answer)[]
        {
            // Unknown names lock in Redis, which every test shares: a name of its own, so no other test's failures count.
            ("unknown account", $"nobody-{Guid.NewGuid():N}@a81001.test", "any password at all", "invalid_credentials"),
            ("wrong password", "known@a81001.test", "not the password", "invalid_credentials"),
            ("right password", "known@a81001.test", IdentityApp.Password, ""),
            ("locked account", "locked@a81001.test", IdentityApp.Password, "account_locked"),
        };
        foreach (var (name, user, password, answer) in attempts)
        {
            var before = counted.Sum();
            var response = await app.PasswordGrantAsync(user, password);
            Assert.Equal(answer, response.Code ?? "");
            Assert.True(counted.Sum() - before == 1, $"{name}: {counted.Sum() - before} hash verifications");
        }
    }
}
