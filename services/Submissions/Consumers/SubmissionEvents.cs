using Microsoft.EntityFrameworkCore;
using Submissions.Api.Data;
using Submissions.Api.Domain;

namespace Submissions.Api.Consumers;

/// <summary>Shared by the consumers of Payments' events: find the submission version an event is about.</summary>
internal static class SubmissionEvents
{
    public static async Task<Submission?> FindAsync(SubmissionsDbContext db, Guid submissionId, int version, ILogger logger,
        string eventName, CancellationToken cancellationToken)
    {
        var submission = await db.Submissions.FirstOrDefaultAsync(s => s.Id == submissionId, cancellationToken);
        if (submission is null || submission.Version != version)
        {
            logger.LogWarning("{Event} for unknown submission {SubmissionId} v{Version}; ignoring it", eventName, submissionId, version);
            return null;
        }
        return submission;
    }
}
