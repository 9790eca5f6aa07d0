namespace Notifications.Api.Templates;

/// <summary>
/// What every submission and payment template says about the submission. A template's own model extends it, built from
/// one: <c>record PaymentFailedModel(SubmissionModel Submission, ...) : SubmissionModel(Submission)</c>.
/// </summary>
public record SubmissionModel(string SubmissionId, int Version, string PracticeOds, string PracticeName, string ServiceCode, string Period, string Link);
