namespace Notifications.Api.Templates;

/// <summary><c>submission-rejected.liquid</c>.</summary>
public sealed record SubmissionRejectedModel(SubmissionModel Submission, string Code, string Reason, string RejectedAt) : SubmissionModel(Submission);
