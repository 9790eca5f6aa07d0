using System.Buffers.Binary;
using Platform.Resilience.Running;
using Platform.Resilience.Tenancy;

namespace Platform.Resilience.Security;

/// <summary>
/// Passwords exist in the identity database only as ASP.NET Core Identity v3 hashes (PBKDF2-HMAC-SHA512, the configured
/// 210,000 iterations, a 128-bit or longer salt), and no password or client secret the tests know appears anywhere in it.
/// </summary>
public sealed class PasswordStorageTests(ResiliencePlatform platform)
{
    private const int ConfiguredIterations = 210_000;
    private const uint HmacSha512 = 2;

    [Fact(Timeout = 300_000)]
    public async Task Passwords_are_stored_only_as_pbkdf2_sha512_hashes_with_the_configured_cost()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var tenants = await platform.TenantsAsync(cancellationToken);
        var identity = platform.Database("identitydb");

        var hashes = new List<(string Owner, string Hash)>();
        await using (var command = identity.CreateCommand(
            "SELECT email, password_hash FROM users WHERE password_hash IS NOT NULL UNION ALL SELECT 'history', password_hash FROM password_history"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) hashes.Add((reader.GetString(0), reader.GetString(1)));
        }

        Assert.True(hashes.Count >= 10, $"Only {hashes.Count} password hashes were found.");
        Assert.All(hashes, entry =>
        {
            var bytes = Convert.FromBase64String(entry.Hash);
            Assert.True(bytes[0] == 0x01, $"{entry.Owner}: not an Identity v3 hash (format marker {bytes[0]}).");
            Assert.Equal(HmacSha512, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)));
            Assert.Equal((uint)ConfiguredIterations, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)));
            var saltLength = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
            Assert.True(saltLength >= 16, $"{entry.Owner}: a {saltLength}-byte salt.");
            Assert.True(bytes.Length - 13 - saltLength >= 32, $"{entry.Owner}: a subkey of {bytes.Length - 13 - saltLength} bytes.");
        });
        // A salt of its own for every account: no two current hashes are alike, even for the demo accounts' shared password.
        var current = hashes.Where(h => h.Owner != "history").ToList();
        Assert.Equal(current.Count, current.Select(h => h.Hash).Distinct().Count());

        // No known secret in clear, in any column of any table.
        var secrets = new[] { Tenants.DemoPassword, tenants.TakeWarnedUser().Password, tenants.Practices[0].SystemSecret };
        var tables = new List<string>();
        await using (var list = identity.CreateCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) tables.Add(reader.GetString(0));
        }

        foreach (var table in tables)
        {
            await using var command = identity.CreateCommand($"SELECT count(*) FROM \"{table}\" t WHERE strpos(t::text, @secret) > 0 OR strpos(t::text, @encoded) > 0");
            foreach (var secret in secrets)
            {
                command.Parameters.Clear();
                command.Parameters.AddWithValue("secret", secret);
                command.Parameters.AddWithValue("encoded", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret)));
                Assert.True((long)(await command.ExecuteScalarAsync(cancellationToken))! == 0, $"A known secret is stored in clear in {table}.");
            }
        }
    }
}
