using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.Contracts.Submissions;
using Platform.ServiceDefaults;
using Submissions.Api.Apis;
using Submissions.Api.Data;
using Submissions.Api.Domain;

namespace Submissions.Api.Application;

/// <summary>
/// Takes in a submission: validates it against the catalogue, answers a replayed Idempotency-Key with the first receipt,
/// numbers the version (refusing once Payments said an earlier version's payment locks the period), and stores it with its
/// <see cref="SubmissionAccepted"/> event in one transaction.
/// </summary>
public sealed class SubmissionIntake(SubmissionsDbContext db, Catalogue catalogue, TimeProvider clock)
{
    public abstract record Outcome;
    public sealed record Accepted(Submission Submission) : Outcome;
    public sealed record Replayed(Submission Submission) : Outcome;
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : Outcome;
    public sealed record KeyReused : Outcome;
    public sealed record Locked(int Version, string Status) : Outcome;

    private sealed record SeenVersion(Guid Id, string IdempotencyKey, string ContentSha256, string ServiceCode, string Period, int Version,
        string Status, bool LocksAmendments);

    /// <summary>
    /// One read for both questions: was this Idempotency-Key used, and which versions does the period have. Compiled once:
    /// building the query at every submission was 3% of the service's CPU in a profile.
    /// </summary>
    private static readonly Func<SubmissionsDbContext, string, string, string, string, IAsyncEnumerable<SeenVersion>> SeenQuery =
        EF.CompileAsyncQuery((SubmissionsDbContext db, string practiceOds, string idempotencyKey, string serviceCode, string period) =>
            db.Submissions.IgnoreAutoIncludes()
                .Where(s => s.PracticeOds == practiceOds && (s.IdempotencyKey == idempotencyKey || (s.ServiceCode == serviceCode && s.Period == period)))
                .Select(s => new SeenVersion(s.Id, s.IdempotencyKey, s.ContentSha256, s.ServiceCode, s.Period, s.Version, s.Status, s.LocksAmendments)));

    public async Task<Outcome> SubmitAsync(SubmissionRequest request, string idempotencyKey, Caller caller, CancellationToken cancellationToken)
    {
        var values = request.Values ?? [];
        var utcNow = clock.GetUtcNow();
        // PostgreSQL keeps microseconds: round here so a replayed receipt matches the first one exactly.
        var now = utcNow.AddTicks(-(utcNow.Ticks % 10));
        var errors = SubmissionRules.Validate(request.PracticeOds, request.ServiceCode, request.Period,
            [.. values.Select(v => (v?.Indicator, v?.Value))], catalogue, now, caller.PracticeOds);
        if (errors.Count > 0) return new Invalid(errors);

        var practiceOds = request.PracticeOds!;
        var (year, _, _) = catalogue.Find(request.ServiceCode!, request.Period!)!.Value;
        var submitted = values.Select(v => new SubmittedValue { Indicator = v!.Indicator!, Value = v.Value!.Value }).ToList();
        var contentSha256 = ContentHash.Of(practiceOds, request.ServiceCode!, request.Period!, submitted);

        // One transaction, whose first attempt takes no lock: two requests racing for a version number or an
        // Idempotency-Key meet a unique index, and the loser tries again with the period's versions numbered one at a time
        // under a transaction-scoped advisory lock (so twenty amendments at once are not twenty rounds of retries),
        // re-reading and answering from what won.
        var strategy = db.Database.CreateExecutionStrategy();
        for (var attempt = 1; ; attempt++)
        {
            var underLock = attempt > 1;
            try
            {
                return await strategy.ExecuteAsync(async () =>
                {
                    db.ChangeTracker.Clear();
                    await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                    db.Database.AutoSavepointsEnabled = false; // a failed save starts the whole transaction again
                    if (underLock)
                    {
                        var versionLock = $"{practiceOds}|{request.ServiceCode}|{request.Period}";
                        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({versionLock}, 0))", cancellationToken);
                    }
                    var outcome = await NumberAndStoreAsync(request, idempotencyKey, caller, practiceOds, year.FinancialYear, submitted, contentSha256, now, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return outcome;
                });
            }
            catch (DbUpdateException exception) when (attempt < 5 && exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<Outcome> NumberAndStoreAsync(SubmissionRequest request, string idempotencyKey, Caller caller, string practiceOds,
        string financialYear, List<SubmittedValue> submitted, string contentSha256, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var seen = await SeenQuery(db, practiceOds, idempotencyKey, request.ServiceCode!, request.Period!).ToListAsync(cancellationToken);
        if (seen.FirstOrDefault(s => s.IdempotencyKey == idempotencyKey) is { } earlier)
        {
            return earlier.ContentSha256 == contentSha256
                ? new Replayed(await db.Submissions.AsNoTracking().SingleAsync(s => s.Id == earlier.Id, cancellationToken))
                : new KeyReused();
        }

        var versions = seen.Where(s => s.ServiceCode == request.ServiceCode && s.Period == request.Period).ToList();
        var locked = versions.Where(v => v.LocksAmendments).OrderByDescending(v => v.Version).FirstOrDefault();
        if (locked is not null) return new Locked(locked.Version, locked.Status);
        var latestVersion = versions.Count == 0 ? 0 : versions.Max(v => v.Version);

        var submission = Submission.Receive(Guid.CreateVersion7(), practiceOds, request.ServiceCode!, request.Period!, financialYear,
            latestVersion + 1, submitted, contentSha256, idempotencyKey, caller.UserId, now);
        submission.MarkValidated(now);
        db.Submissions.Add(submission);
        await db.SaveChangesAsync(cancellationToken);
        return new Accepted(submission);
    }
}
