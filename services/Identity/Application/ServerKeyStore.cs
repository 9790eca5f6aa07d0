using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Identity.Api.Domain;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Identity.Api.Application;

/// <summary>
/// The token server's signing and encryption certificates, kept in the <c>server_keys</c> table so every replica and
/// every restart uses the same keys. A certificate is generated when none is valid or the newest expires within
/// <see cref="TokenServerOptions.KeyRollover"/>; older ones stay published until they expire, so tokens they signed
/// still validate. Replicas generating at once serialise on an advisory lock.
/// </summary>
public sealed class ServerKeyStore(string connectionString, IOptions<TokenServerOptions> options, TimeProvider time, ILogger<ServerKeyStore> logger)
{
    private const long KeyLockId = 0x49444B455953; // "IDKEYS"

    public (IReadOnlyList<X509Certificate2> Signing, IReadOnlyList<X509Certificate2> Encryption) LoadOrCreate()
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({KeyLockId})", connection, transaction))
        {
            take.ExecuteNonQuery();
        }

        var now = time.GetUtcNow();
        var keys = Read(connection, transaction, now);
        foreach (var use in new[] { ServerKeyUses.Signing, ServerKeyUses.Encryption })
        {
            var newest = keys.Where(key => key.Use == use).MaxBy(key => key.NotAfter);
            if (newest is null || newest.NotAfter - now <= options.Value.KeyRollover)
            {
                var created = Generate(use, now);
                Insert(connection, transaction, created);
                keys.Add(created);
                logger.LogInformation("Generated a new {Use} certificate valid until {NotAfter:u}", use, created.NotAfter);
            }
        }

        transaction.Commit();
        return (Load(keys, ServerKeyUses.Signing), Load(keys, ServerKeyUses.Encryption));
    }

    private List<X509Certificate2> Load(IEnumerable<ServerKey> keys, string use) =>
        [.. keys.Where(key => key.Use == use)
            .OrderByDescending(key => key.NotAfter)
            .Select(key => X509CertificateLoader.LoadPkcs12(key.Pkcs12, options.Value.KeyPassword, X509KeyStorageFlags.EphemeralKeySet))];

    private ServerKey Generate(string use, DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=Platform Identity {use} key", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var usage = use == ServerKeyUses.Signing ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.KeyEncipherment;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        var notBefore = now.AddMinutes(-5);
        var notAfter = now + options.Value.KeyLifetime;
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return new ServerKey
        {
            Id = Guid.CreateVersion7(),
            Use = use,
            Pkcs12 = certificate.Export(X509ContentType.Pkcs12, options.Value.KeyPassword),
            NotBefore = notBefore,
            NotAfter = notAfter,
            CreatedAt = now,
        };
    }

    private static List<ServerKey> Read(NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now)
    {
        using var command = new NpgsqlCommand(
            "SELECT id, use, pkcs12, not_before, not_after, created_at FROM server_keys WHERE not_after > @now", connection, transaction);
        command.Parameters.AddWithValue("now", now);
        using var reader = command.ExecuteReader();
        var keys = new List<ServerKey>();
        while (reader.Read())
        {
            keys.Add(new ServerKey
            {
                Id = reader.GetGuid(0),
                Use = reader.GetString(1),
                Pkcs12 = reader.GetFieldValue<byte[]>(2),
                NotBefore = reader.GetFieldValue<DateTimeOffset>(3),
                NotAfter = reader.GetFieldValue<DateTimeOffset>(4),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(5),
            });
        }

        return keys;
    }

    private static void Insert(NpgsqlConnection connection, NpgsqlTransaction transaction, ServerKey key)
    {
        using var command = new NpgsqlCommand(
            "INSERT INTO server_keys (id, use, pkcs12, not_before, not_after, created_at) VALUES (@id, @use, @pkcs12, @notBefore, @notAfter, @createdAt)",
            connection, transaction);
        command.Parameters.AddWithValue("id", key.Id);
        command.Parameters.AddWithValue("use", key.Use);
        command.Parameters.AddWithValue("pkcs12", key.Pkcs12);
        command.Parameters.AddWithValue("notBefore", key.NotBefore);
        command.Parameters.AddWithValue("notAfter", key.NotAfter);
        command.Parameters.AddWithValue("createdAt", key.CreatedAt);
        command.ExecuteNonQuery();
    }
}
