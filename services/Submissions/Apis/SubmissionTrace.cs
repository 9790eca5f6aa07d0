using System.Diagnostics;
using Submissions.Api.Domain;

namespace Submissions.Api.Apis;

/// <summary>Puts a submission's ids on the current span, so its trace can be found by them.</summary>
public static class SubmissionTrace
{
    public static void Tag(Submission submission)
    {
        if (Activity.Current is not { IsAllDataRequested: true } activity) return;
        activity.SetTag("submission.id", submission.Id.ToString("D"));
        activity.SetTag("submission.version", submission.Version);
        activity.SetTag("submission.service_code", submission.ServiceCode);
        activity.SetTag("practice.ods", submission.PracticeOds);
    }
}
