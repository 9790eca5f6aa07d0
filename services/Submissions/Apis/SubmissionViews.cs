using Submissions.Api.Domain;

namespace Submissions.Api.Apis;

/// <summary>What a practice gets back at once: proof the submission was received, and where to watch it.</summary>
public sealed record SubmissionReceipt(Guid Id, int Version, string Status, DateTimeOffset ReceivedAt, string ContentSha256, string? TraceId, string StatusUrl)
{
    public static SubmissionReceipt From(Submission submission) => new(
        submission.Id, submission.Version, submission.Status, submission.ReceivedAt, submission.ContentSha256,
        submission.TraceId, $"/api/submissions/{submission.Id}");
}

public sealed record SubmissionView(
    Guid Id, string PracticeOds, string ServiceCode, string Period, string FinancialYear, int Version, int? Supersedes, string Status,
    DateTimeOffset ReceivedAt, DateTimeOffset? StalledAt, string? SubmittedBy, string ContentSha256, string? TraceId, IReadOnlyList<SubmittedValueView> Values,
    IReadOnlyList<TimelineEntryView> Timeline, PaymentView? Payment)
{
    public static SubmissionView From(Submission s) => new(
        s.Id, s.PracticeOds, s.ServiceCode, s.Period, s.FinancialYear, s.Version, s.Supersedes, s.Status, s.ReceivedAt, s.StalledAt, s.SubmittedBy,
        s.ContentSha256, s.TraceId,
        [.. s.Values.Select(v => new SubmittedValueView(v.Indicator, v.Value))],
        [.. s.Timeline.OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => new TimelineEntryView(e.Status, e.At, e.Detail, e.TraceId))],
        s.Payment is null ? null : new PaymentView(s.Payment.PaymentId, s.Payment.Amount, s.Payment.Currency,
            [.. s.Payment.Lines.Select(l => new PaymentLineView(l.Indicator, l.Quantity, l.Rate, l.Amount))],
            s.Payment.RemittanceReference, s.Payment.Outcome, s.Payment.Reason));
}

public sealed record SubmittedValueView(string Indicator, decimal Value);

public sealed record TimelineEntryView(string Status, DateTimeOffset At, string Detail, string? TraceId);

public sealed record PaymentView(Guid PaymentId, decimal Amount, string Currency, IReadOnlyList<PaymentLineView> Lines, string? RemittanceReference, string Outcome, string? Reason);

public sealed record PaymentLineView(string Indicator, decimal Quantity, decimal Rate, decimal Amount);

public sealed record SubmissionSummary(Guid Id, string PracticeOds, string ServiceCode, string Period, int Version, string Status, DateTimeOffset ReceivedAt);
