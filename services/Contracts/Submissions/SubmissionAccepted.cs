namespace Platform.Contracts.Submissions;

/// <summary>A practice's submission passed validation and was stored; Payments calculates it.</summary>
public sealed record SubmissionAccepted(
    Guid SubmissionId,
    int Version,
    string PracticeOds,
    string ServiceCode,
    string Period,
    IReadOnlyList<IndicatorValue> Values,
    string ContentSha256,
    DateTimeOffset AcceptedAt);
