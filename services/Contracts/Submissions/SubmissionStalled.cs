namespace Platform.Contracts.Submissions;

/// <summary>A submission has not reached a terminal outcome (or awaiting-approval) within its SLA.</summary>
public sealed record SubmissionStalled(
    Guid SubmissionId,
    int Version,
    string PracticeOds,
    string ServiceCode,
    string Period,
    string Status,
    DateTimeOffset ReceivedAt,
    TimeSpan StalledFor,
    DateTimeOffset DetectedAt);
