namespace Platform.Contracts.Submissions;

/// <summary>
/// Submissions' event: a stored submission version ended <c>rejected</c>. Nothing publishes it now: Payments did, for the versions
/// it would not pay, until it published <see cref="Payments.PaymentRefused"/> instead; Submissions and Notifications still consume
/// it, for messages already queued.
/// </summary>
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
