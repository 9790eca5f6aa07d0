namespace Notifications.Api.Templates;

/// <summary><c>payment-declined.liquid</c>.</summary>
public sealed record PaymentDeclinedModel(SubmissionModel Submission, string Amount, string Reason, string DeclinedAt) : SubmissionModel(Submission);
