namespace Platform.Contracts.Payments;

/// <summary>A payment was cancelled before approval because a newer version of its submission superseded it.</summary>
public sealed record PaymentCancelled(
    Guid PaymentId,
    Guid SubmissionId,
    int SubmissionVersion,
    string PracticeOds,
    string Reason,
    DateTimeOffset CancelledAt);
