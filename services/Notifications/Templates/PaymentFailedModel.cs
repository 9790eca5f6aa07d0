namespace Notifications.Api.Templates;

/// <summary><c>payment-failed.liquid</c>.</summary>
public sealed record PaymentFailedModel(SubmissionModel Submission, string Amount, string Reason, string FailedAt) : SubmissionModel(Submission);
