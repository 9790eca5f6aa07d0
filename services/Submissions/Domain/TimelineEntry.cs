namespace Submissions.Api.Domain;

/// <summary>One status change of a submission, with the trace it happened in.</summary>
public sealed class TimelineEntry
{
    public long Id { get; private set; }
    public Guid SubmissionId { get; private set; }
    public required string Status { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Detail { get; init; }
    public string? TraceId { get; init; }
}
