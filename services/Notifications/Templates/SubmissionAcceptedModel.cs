namespace Notifications.Api.Templates;

/// <summary><c>submission-accepted.liquid</c>, the receipt. <see cref="Supersedes"/> is empty for a first version.</summary>
public sealed record SubmissionAcceptedModel(SubmissionModel Submission, string AcceptedAt, string ContentSha256,
    IReadOnlyList<SubmittedValueModel> Values, string Supersedes) : SubmissionModel(Submission);

public sealed record SubmittedValueModel(string Indicator, string Value);
