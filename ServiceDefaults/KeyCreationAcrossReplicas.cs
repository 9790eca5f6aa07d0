using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.ServiceDefaults;

/// <summary>
/// Creates data-protection keys one replica at a time. Left to itself, a replica whose store holds no active key creates
/// one, so replicas starting together on an empty store each create their own. A replica looks again for a key it does
/// not know only in its first two minutes (the key ring's auto-refresh window): after that, a cookie or form protected
/// on one replica fails on the other until the ring is reloaded, up to a day later. Here creating a key takes a lock
/// every replica shares, and a replica that finds a key another one has just created for the same date uses it instead.
/// </summary>
public sealed class KeyCreationAcrossReplicas(IKeyManager keys, IReplicaLock replicas) : IKeyManager
{
    /// <summary>How far apart the replicas' clocks may be (the key ring allows the same).</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public IKey CreateNewKey(DateTimeOffset activationDate, DateTimeOffset expirationDate)
    {
        using var held = replicas.Take();
        var createdMeanwhile = keys.GetAllKeys().FirstOrDefault(key =>
            !key.IsRevoked && key.ActivationDate <= activationDate + ClockSkew && activationDate < key.ExpirationDate);
        return createdMeanwhile ?? keys.CreateNewKey(activationDate, expirationDate);
    }

    public IReadOnlyCollection<IKey> GetAllKeys() => keys.GetAllKeys();

    public CancellationToken GetCacheExpirationToken() => keys.GetCacheExpirationToken();

    public void RevokeKey(Guid keyId, string? reason = null) => keys.RevokeKey(keyId, reason);

    public void RevokeAllKeys(DateTimeOffset revocationDate, string? reason = null) => keys.RevokeAllKeys(revocationDate, reason);
}

public static class KeyCreationAcrossReplicasExtensions
{
    /// <summary>Keys are created under <paramref name="replicaLock"/> (<see cref="KeyCreationAcrossReplicas"/>).</summary>
    public static IDataProtectionBuilder CreateKeysOneReplicaAtATime(
        this IDataProtectionBuilder builder, Func<IServiceProvider, IReplicaLock> replicaLock)
    {
        builder.Services.AddSingleton<IKeyManager>(services =>
            new KeyCreationAcrossReplicas(ActivatorUtilities.CreateInstance<XmlKeyManager>(services), replicaLock(services)));
        return builder;
    }
}
