using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement.Internal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;

namespace Identity.Tests;

/// <summary>
/// The sign-in cookie and the antiforgery tokens are protected with the key ring in Identity's database, and must open
/// on whichever replica the next request reaches.
/// </summary>
public sealed class DataProtectionKeyTests(MessagingServers servers)
{
    [Fact]
    public async Task Two_replicas_starting_together_on_an_empty_database_protect_with_one_key()
    {
        var connectionString = await servers.CreateDatabaseAsync("identity");
        var replicas = await Task.WhenAll(Enumerable.Range(0, 2)
            .Select(_ => Task.Run(() => IdentityApp.StartAsync(servers, connectionString: connectionString))));
        await using var first = replicas[0];
        await using var second = replicas[1];

        // Each replica's first use of its key ring, at the same moment, as two requests arriving together would.
        var protectedBy = await Task.WhenAll(replicas.Select(replica => Task.Run(() => Protector(replica).Protect("one ring"))));

        Assert.Equal(1, await first.InDbAsync(db => db.DataProtectionKeys.CountAsync()));
        Assert.Equal(DefaultKeyId(first), DefaultKeyId(second));
        Assert.Equal("one ring", Protector(second).Unprotect(protectedBy[0]));
        Assert.Equal("one ring", Protector(first).Unprotect(protectedBy[1]));
    }

    private static IDataProtector Protector(IdentityApp replica) =>
        replica.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("DataProtectionKeyTests");

    private static Guid DefaultKeyId(IdentityApp replica) =>
        replica.Services.GetRequiredService<IKeyRingProvider>().GetCurrentKeyRing().DefaultKeyId;
}
