using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement.Internal;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;
using StackExchange.Redis;

namespace Portal.Tests;

/// <summary>
/// The portal's cookies and antiforgery tokens are protected with one key ring in Redis, and must open on whichever
/// replica the next request reaches. Needs a Redis server, so <c>./platform test --fast</c> leaves it out.
/// </summary>
[Trait("Servers", "redis")]
public sealed class SharedKeyRingTests
{
    [Fact]
    public async Task Two_replicas_starting_together_on_an_empty_redis_protect_with_one_key()
    {
        await using var redis = await RedisServer.StartAsync();
        var replicas = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => StartReplica(redis))));
        await using var first = replicas[0];
        await using var second = replicas[1];

        // Each replica's first use of its key ring, at the same moment, as two requests arriving together would.
        var protectedBy = await Task.WhenAll(replicas.Select(replica => Task.Run(() => Protector(replica).Protect("one ring"))));

        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        Assert.Equal(1, await connection.GetDatabase().ListLengthAsync("portal:data-protection-keys"));
        Assert.Equal(DefaultKeyId(first), DefaultKeyId(second));
        Assert.Equal("one ring", Protector(second).Unprotect(protectedBy[0]));
        Assert.Equal("one ring", Protector(first).Unprotect(protectedBy[1]));
    }

    private static WebApplicationFactory<Program> StartReplica(RedisServer redis)
    {
        var replica = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:redis", redis.ConnectionString);
            host.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        replica.StartServer();
        return replica;
    }

    private static IDataProtector Protector(WebApplicationFactory<Program> replica) =>
        replica.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("SharedKeyRingTests");

    private static Guid DefaultKeyId(WebApplicationFactory<Program> replica) =>
        replica.Services.GetRequiredService<IKeyRingProvider>().GetCurrentKeyRing().DefaultKeyId;
}
