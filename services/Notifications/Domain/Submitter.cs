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
    /// <summary><see cref="SubmittedBy"/> when it is a user id: the directory finds them by it in the same query as the admins.</summary>
    public Guid? SubmitterUserId { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
}
