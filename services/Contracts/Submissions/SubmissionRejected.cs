namespace Platform.Contracts.Submissions;

/// <summary>A stored submission cannot be paid as it stands (for example no payment rule applies); it ends <c>rejected</c>.</summary>
public sealed record SubmissionRejected(
    Guid SubmissionId,
    int Version,
    string PracticeOds,
    string ServiceCode,
    string Period,
    string Code,
    string Reason,
    DateTimeOffset RejectedAt,
    string? SubmittedBy = null);
