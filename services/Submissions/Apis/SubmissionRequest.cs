namespace Submissions.Api.Apis;

/// <summary>The body of <c>POST /api/submissions</c>.</summary>
public sealed record SubmissionRequest(string? PracticeOds, string? ServiceCode, string? Period, List<SubmissionValueRequest?>? Values);

public sealed record SubmissionValueRequest(string? Indicator, decimal? Value);
