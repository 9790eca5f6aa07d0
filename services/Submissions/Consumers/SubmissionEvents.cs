using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults;
using Submissions.Api.Data;
using Submissions.Api.Domain;

namespace Submissions.Api.Consumers;

/// <summary>
/// Shared by the consumers of Payments' events: find the submission version an event is about, locked for this delivery's
/// transaction. Payments' events travel on separate queues, so two can arrive for one submission at once: the second waits
/// for the first to commit and reads what it wrote, instead of failing on the row version and being retried (an error in
/// the submission's trace every time).
/// </summary>
internal static class SubmissionEvents
{
    public static async Task<Submission?> FindAsync(SubmissionsDbContext db, Guid submissionId, int version, ILogger logger,
        string eventName, CancellationToken cancellationToken)
    {
        // The lock and the read in one statement: EF Core cannot say FOR UPDATE, and a statement of its own would be a round trip.
        var locked = await db.Submissions.FromSqlRaw(LockedRowSql(db), submissionId).ToListAsync(cancellationToken);
        var submission = locked.SingleOrDefault();
        if (submission is null || submission.Version != version)
        {
            logger.LogWarning("{Event} for unknown submission {SubmissionId} v{Version}; ignoring it", eventName, submissionId, version);
            return null;
        }
        return submission;
    }

    private static string LockedRowSql(SubmissionsDbContext db) => $"SELECT {MappedColumns.Of<Submission>(db)} FROM submissions WHERE id = {{0}} FOR UPDATE";
}
