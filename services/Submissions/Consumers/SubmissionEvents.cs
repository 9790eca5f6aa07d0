using Microsoft.EntityFrameworkCore;
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
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM submissions WHERE id = {submissionId} FOR UPDATE", cancellationToken);
        var submission = await db.Submissions.FirstOrDefaultAsync(s => s.Id == submissionId, cancellationToken);
        if (submission is null || submission.Version != version)
        {
            logger.LogWarning("{Event} for unknown submission {SubmissionId} v{Version}; ignoring it", eventName, submissionId, version);
            return null;
        }
        return submission;
    }
}
