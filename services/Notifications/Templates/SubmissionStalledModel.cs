namespace Notifications.Api.Templates;

/// <summary><c>submission-stalled.liquid</c>.</summary>
public sealed record SubmissionStalledModel(SubmissionModel Submission, string Status, string ReceivedAt, string StalledFor) : SubmissionModel(Submission);
