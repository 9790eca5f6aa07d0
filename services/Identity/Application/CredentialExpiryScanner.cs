using Identity.Api.Data;
using Identity.Api.Domain;
using Identity.Api.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Contracts.Identity;
using Platform.Messaging;
using Platform.ServiceDefaults;

namespace Identity.Api.Application;

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
    internal static string DuePasswordsSql(IdentityDbContext db) =>
        $"SELECT {MappedColumns.Of<PlatformUser>(db)} FROM users WHERE next_expiry_notice_at <= @now ORDER BY next_expiry_notice_at LIMIT @limit";

    private static string DueClientSecretsSql(IdentityDbContext db) =>
        $"SELECT {MappedColumns.Of<SystemClient>(db)} FROM system_clients WHERE next_expiry_notice_at <= @now ORDER BY next_expiry_notice_at LIMIT @limit";

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
            var users = await db.Users.FromSqlRaw(DuePasswordsSql(db), Parameter("now", now), Parameter("limit", limit))
                .ToListAsync(cancellationToken);
            var clients = await db.SystemClients.FromSqlRaw(DueClientSecretsSql(db), Parameter("now", now), Parameter("limit", limit))
                .ToListAsync(cancellationToken);

            var due = new List<DueNotice>();
            foreach (var user in users)
            {
                if (user.IsDisabled || user.PasswordExpiresAt is not { } expiresAt)
                {
                    user.NextExpiryNoticeAt = null;
                    continue;
                }

                var (threshold, next) = ExpirySchedule.Evaluate(expiresAt, now);
                user.NextExpiryNoticeAt = next;
                if (threshold is { } days)
                {
                    due.Add(new DueNotice(Guid.CreateVersion7(now), CredentialKinds.Password, user.Id, user.CredentialVersion, days, expiresAt, user, null));
                }
            }

            foreach (var client in clients)
            {
                if (client.DisabledAt is not null)
                {
                    client.NextExpiryNoticeAt = null;
                    continue;
                }

                var (threshold, next) = ExpirySchedule.Evaluate(client.SecretExpiresAt, now);
                client.NextExpiryNoticeAt = next;
                if (threshold is { } days)
                {
                    due.Add(new DueNotice(Guid.CreateVersion7(now), CredentialKinds.ClientSecret, client.Id, client.SecretVersion, days, client.SecretExpiresAt, null, client));
                }
            }

            var recorded = await RecordAsync(due, now, cancellationToken);
            var admins = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var published = 0;
            foreach (var notice in due.Where(notice => recorded.Contains(notice.Id)))
            {
                if (notice.User is { } user)
                {
                    var tell = await AdminsToTellAsync(CredentialKinds.Password, notice.Threshold, user.PracticeOds, admins, cancellationToken);
                    Publish(notice.Id, CredentialKinds.Password, user.Id, user.Id, user.Email, user.DisplayName, user.PracticeOds,
                        notice.Threshold, notice.ExpiresAt, notice.Version, [.. tell.Where(email => !string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase))]);
                }
                else if (notice.Client is { } client)
                {
                    var tell = await AdminsToTellAsync(CredentialKinds.ClientSecret, notice.Threshold, client.PracticeOds, admins, cancellationToken);
                    Publish(notice.Id, CredentialKinds.ClientSecret, client.Id, client.CreatedBy, null, client.DisplayName, client.PracticeOds,
                        notice.Threshold, notice.ExpiresAt, notice.Version, tell);
                }

                published++;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            foreach (var (kind, threshold) in publishedInBatch) telemetry.Published(kind, threshold);
            return ((int Read, int Published)?)(Math.Max(users.Count, clients.Count), published);
        });

    /// <summary>
    /// Records the batch's notices under their unique key in one statement and returns the ids that were new: a notice
    /// already recorded is left out, so it is not published again.
    /// </summary>
    private async Task<HashSet<Guid>> RecordAsync(List<DueNotice> notices, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (notices.Count == 0)
        {
            return [];
        }

        var inserted = await db.Database.SqlQueryRaw<Guid>("""
            INSERT INTO credential_notices (id, kind, credential_id, version, threshold_days, expires_at, recorded_at)
            SELECT n.id, n.kind, n.credential_id, n.version, n.threshold_days, n.expires_at, @now
            FROM unnest(@ids, @kinds, @credential_ids, @versions, @thresholds, @expires_at)
                AS n(id, kind, credential_id, version, threshold_days, expires_at)
            ON CONFLICT (kind, credential_id, version, threshold_days) DO NOTHING
            RETURNING id AS "Value"
            """,
            Parameter("now", now),
            Parameter("ids", notices.Select(n => n.Id).ToArray()),
            Parameter("kinds", notices.Select(n => n.Kind).ToArray()),
            Parameter("credential_ids", notices.Select(n => n.CredentialId).ToArray()),
            Parameter("versions", notices.Select(n => n.Version).ToArray()),
            Parameter("thresholds", notices.Select(n => n.Threshold).ToArray()),
            Parameter("expires_at", notices.Select(n => n.ExpiresAt).ToArray()))
            .ToListAsync(cancellationToken);
        return [.. inserted];
    }

    private sealed record DueNotice(Guid Id, string Kind, Guid CredentialId, int Version, int Threshold, DateTimeOffset ExpiresAt, PlatformUser? User, SystemClient? Client);

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
                .Where(user => user.PracticeOds == practiceOds && user.Role == PlatformRoles.PracticeAdmin && user.DisabledAt == null && user.Email != null)
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
