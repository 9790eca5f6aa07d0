using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Gateway.Tests;

/// <summary>
/// The list of ended sessions every gateway and service replica checks (ServiceDefaults' <see cref="TokenRevocations"/>),
/// two replicas over one real Redis.
/// </summary>
public sealed class TokenRevocationsTests(GatewayServers servers)
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    [Fact]
    public async Task The_revoking_replica_refuses_earlier_tokens_at_once_and_a_replica_started_later_does_too()
    {
        var subject = Guid.NewGuid().ToString();
        using var first = Replica();
        await first.StartAsync(TestContext.Current.CancellationToken);
        var issued = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(1));

        await first.RevokeAsync(subject, "new-tag", TestContext.Current.CancellationToken);

        Assert.True(first.IsRevoked(subject, "old-tag", issued));
        Assert.True(first.IsRevoked(subject, null, issued));
        Assert.False(first.IsRevoked(subject, "new-tag", clock.GetUtcNow()));
        Assert.False(first.IsRevoked(Guid.NewGuid().ToString(), "old-tag", issued));
        using var restarted = Replica();
        await restarted.StartAsync(TestContext.Current.CancellationToken);
        Assert.True(restarted.IsRevoked(subject, "old-tag", issued));
    }

    [Fact]
    public async Task A_sign_in_after_a_second_change_is_accepted_by_a_replica_that_has_only_read_the_first()
    {
        var subject = Guid.NewGuid().ToString();
        using var stale = Replica();
        using var current = Replica();
        await stale.StartAsync(TestContext.Current.CancellationToken);
        await current.StartAsync(TestContext.Current.CancellationToken);
        await stale.RevokeAsync(subject, "after-first-change", TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromMinutes(5));

        // The second change is recorded by the other replica; the sign-in that follows carries its tag.
        await current.RevokeAsync(subject, "after-second-change", TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.False(stale.IsRevoked(subject, "after-second-change", clock.GetUtcNow()));
        Assert.True(current.IsRevoked(subject, "after-first-change", clock.GetUtcNow().AddSeconds(-2)));
    }

    [Fact]
    public async Task A_revocation_is_recorded_when_redis_answers_slower_than_the_command_timeout_for_a_moment()
    {
        // A Redis of its own: pausing the shared one would slow the other tests. A busy machine (a starved client, a
        // server late to answer) once turned a password change into a 503 this way.
        await using var redis = await RedisServer.StartAsync();
        var subject = Guid.NewGuid().ToString();
        using var replica = Replica(redis.ConnectionString);
        await replica.StartAsync(TestContext.Current.CancellationToken);
        using (var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true"))
        {
            await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "3000", "WRITE");
        }

        await replica.RevokeAsync(subject, "new-tag", TestContext.Current.CancellationToken);

        Assert.True(replica.IsRevoked(subject, "old-tag", clock.GetUtcNow().AddMinutes(-1)));
    }

    private TokenRevocations Replica(string? redisConnectionString = null) => new(
        new SharedRedis(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = redisConnectionString ?? servers.Redis.ConnectionString }).Build()),
        Options.Create(new PlatformAuthenticationOptions { RevocationPollInterval = TimeSpan.FromHours(1) }), clock, NullLogger<TokenRevocations>.Instance);
}
