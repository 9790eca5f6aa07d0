namespace Notifications.Api.Domain;

/// <summary>
/// Who submitted a submission version, remembered from <c>SubmissionAccepted</c>: the payment events do not name them.
/// </summary>
public sealed class Submitter
{
    public required Guid SubmissionId { get; init; }
    public required int Version { get; init; }
    public required string PracticeOds { get; init; }
    /// <summary>A user id, or a system client id (then the practice admins are told instead).</summary>
    public string? SubmittedBy { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
}
