using Identity.Api.Data;
using Identity.Api.Domain;
using Identity.Api.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Contracts.Identity;
using Platform.Messaging;

namespace Identity.Api.Jobs;

/// <summary>What one scan did.</summary>
public sealed record ExpiryScanResult(bool Ran, int CredentialsRead, int NoticesPublished);

/// <summary>
/// Finds passwords and client secrets with an expiry notice due and publishes each (credential, version, threshold)
/// once through the outbox. It reads only rows whose <c>next_expiry_notice_at</c> has passed, through a partial index,
/// so a scan's cost grows with the credentials due, not with all credentials. One replica scans at a time
/// (transaction-scoped advisory lock); the unique key on the notices is the backstop.
/// </summary>
public sealed class CredentialExpiryScanner(
    IdentityDbContext db,
    IOptions<ExpiryScanOptions> options,
    TimeProvider time,
    CredentialTelemetry telemetry,
    ILogger<CredentialExpiryScanner> logger)
{
    private readonly List<(string Kind, int Threshold)> publishedInBatch = [];

    internal const long ScanLockId = 0x4944534341_4E; // "IDSCAN"

    /// <summary>The due passwords, oldest due first (the test reads this query's plan).</summary>
    internal const string DuePasswordsSql =
        "SELECT * FROM users WHERE next_expiry_notice_at <= @now ORDER BY next_expiry_notice_at LIMIT @limit";

    internal const string DueClientSecretsSql =
        "SELECT * FROM system_clients WHERE next_expiry_notice_at <= @now ORDER BY next_expiry_notice_at LIMIT @limit";

    public async Task<ExpiryScanResult> ScanAsync(CancellationToken cancellationToken)
    {
        var read = 0;
        var published = 0;
        while (true)
        {
            var batch = await ScanBatchAsync(cancellationToken);
            if (batch is null)
            {
                return new ExpiryScanResult(read > 0, read, published); // another replica holds the scan
            }

            read += batch.Value.Read;
            published += batch.Value.Published;
            if (batch.Value.Read < options.Value.BatchSize)
            {
                if (published > 0)
                {
                    logger.LogInformation("Expiry scan published {Notices} notices for {Credentials} credentials", published, read);
                }

                return new ExpiryScanResult(true, read, published);
            }
        }
    }

    private Task<(int Read, int Published)?> ScanBatchAsync(CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            publishedInBatch.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({ScanLockId}) AS \"Value\"")
                .SingleAsync(cancellationToken);
            if (!locked)
            {
                return ((int Read, int Published)?)null;
            }

            var now = time.GetUtcNow();
            var limit = options.Value.BatchSize;
            var users = await db.Users.FromSqlRaw(DuePasswordsSql, Parameter("now", now), Parameter("limit", limit))
                .ToListAsync(cancellationToken);
            var clients = await db.SystemClients.FromSqlRaw(DueClientSecretsSql, Parameter("now", now), Parameter("limit", limit))
                .ToListAsync(cancellationToken);

            var admins = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var published = 0;
            foreach (var user in users)
            {
                if (user.IsDisabled || user.PasswordExpiresAt is not { } expiresAt)
                {
                    user.NextExpiryNoticeAt = null;
                    continue;
                }

                var (due, next) = ExpirySchedule.Evaluate(expiresAt, now);
                user.NextExpiryNoticeAt = next;
                if (due is { } threshold && await RecordAsync(CredentialKinds.Password, user.Id, user.CredentialVersion, threshold, expiresAt, now, cancellationToken) is { } noticeId)
                {
                    var tell = await AdminsToTellAsync(CredentialKinds.Password, threshold, user.PracticeOds, admins, cancellationToken);
                    Publish(noticeId, CredentialKinds.Password, user.Id, user.Id, user.Email, user.DisplayName, user.PracticeOds,
                        threshold, expiresAt, user.CredentialVersion, [.. tell.Where(email => !string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase))]);
                    published++;
                }
            }

            foreach (var client in clients)
            {
                if (client.DisabledAt is not null)
                {
                    client.NextExpiryNoticeAt = null;
                    continue;
                }

                var (due, next) = ExpirySchedule.Evaluate(client.SecretExpiresAt, now);
                client.NextExpiryNoticeAt = next;
                if (due is { } threshold && await RecordAsync(CredentialKinds.ClientSecret, client.Id, client.SecretVersion, threshold, client.SecretExpiresAt, now, cancellationToken) is { } noticeId)
                {
                    var tell = await AdminsToTellAsync(CredentialKinds.ClientSecret, threshold, client.PracticeOds, admins, cancellationToken);
                    Publish(noticeId, CredentialKinds.ClientSecret, client.Id, client.CreatedBy, null, client.DisplayName, client.PracticeOds,
                        threshold, client.SecretExpiresAt, client.SecretVersion, tell);
                    published++;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            foreach (var (kind, threshold) in publishedInBatch) telemetry.Published(kind, threshold);
            return ((int Read, int Published)?)(Math.Max(users.Count, clients.Count), published);
        });

    /// <summary>Records the notice under its unique key; null when it was already recorded (then it is not published again).</summary>
    private async Task<Guid?> RecordAsync(string kind, Guid credentialId, int version, int threshold, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7(now);
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO credential_notices (id, kind, credential_id, version, threshold_days, expires_at, recorded_at)
            VALUES ({id}, {kind}, {credentialId}, {version}, {threshold}, {expiresAt}, {now})
            ON CONFLICT (kind, credential_id, version, threshold_days) DO NOTHING
            """, cancellationToken);
        return inserted == 1 ? id : null;
    }

    private async Task<IReadOnlyList<string>> AdminsToTellAsync(
        string kind, int threshold, string? practiceOds, Dictionary<string, IReadOnlyList<string>> cache, CancellationToken cancellationToken)
    {
        if (practiceOds is null || !ExpirySchedule.TellsPracticeAdmins(kind, threshold))
        {
            return [];
        }

        if (!cache.TryGetValue(practiceOds, out var emails))
        {
            emails = await db.Users.AsNoTracking()
                .Where(user => user.PracticeOds == practiceOds && user.Role == Roles.PracticeAdmin && user.DisabledAt == null && user.Email != null)
                .OrderBy(user => user.Email)
                .Select(user => user.Email!)
                .ToListAsync(cancellationToken);
            cache[practiceOds] = emails;
        }

        return emails;
    }

    private void Publish(Guid noticeId, string kind, Guid credentialId, Guid? ownerUserId, string? email, string displayName,
        string? practiceOds, int threshold, DateTimeOffset expiresAt, int version, IReadOnlyList<string> admins)
    {
        publishedInBatch.Add((kind, threshold));
        CredentialTelemetry.InWarningTrace(kind, credentialId, version, threshold, practiceOds, () =>
        {
            if (threshold == 0)
            {
                db.AddOutboxMessage(new CredentialExpired(noticeId, credentialId, kind, ownerUserId, email, displayName, practiceOds, expiresAt, version, admins));
            }
            else
            {
                db.AddOutboxMessage(new CredentialExpiring(noticeId, credentialId, kind, ownerUserId, email, displayName, practiceOds, threshold, expiresAt, version, admins));
            }
        });
    }

    private static Npgsql.NpgsqlParameter Parameter(string name, object value) => new(name, value);
}
