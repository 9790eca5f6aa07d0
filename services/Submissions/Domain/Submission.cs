using System.Diagnostics;

namespace Submissions.Api.Domain;

/// <summary>A practice's achievement data for one service and period, and everything that happened to it.</summary>
public sealed class Submission
{
    public Guid Id { get; private set; }
    public required string PracticeOds { get; init; }
    public required string ServiceCode { get; init; }
    public required string Period { get; init; }
    public required int Version { get; init; }
    public required List<SubmittedValue> Values { get; init; }
    public required string ContentSha256 { get; init; }
    public required string IdempotencyKey { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public string? TraceId { get; init; }
    public string Status { get; private set; } = SubmissionStatus.Received;
    public PaymentSummary? Payment { get; private set; }
    public List<TimelineEntry> Timeline { get; private set; } = [];
    public uint RowVersion { get; private set; }

    public static Submission Receive(Guid id, string practiceOds, string serviceCode, string period, int version,
        IReadOnlyList<SubmittedValue> values, string contentSha256, string idempotencyKey, DateTimeOffset now)
    {
        var submission = new Submission
        {
            PracticeOds = practiceOds,
            ServiceCode = serviceCode,
            Period = period,
            Version = version,
            Values = [.. values],
            ContentSha256 = contentSha256,
            IdempotencyKey = idempotencyKey,
            ReceivedAt = now,
            TraceId = Activity.Current?.TraceId.ToString(),
        };
        submission.Id = id;
        submission.Record(SubmissionStatus.Received, now, $"Version {version} received with {values.Count} values.");
        return submission;
    }

    public void MarkValidated(DateTimeOffset now) =>
        MoveTo(SubmissionStatus.Validated, now, "All values passed validation.");

    /// <summary>Records the payment outcome; a repeated report of the same payment changes nothing.</summary>
    public bool RecordPaid(PaymentSummary payment, DateTimeOffset now)
    {
        if (Status == SubmissionStatus.Paid && Payment?.PaymentId == payment.PaymentId) return false;
        Payment = payment;
        MoveTo(SubmissionStatus.Paid, now, $"£{payment.Amount:0.00} paid, remittance reference {payment.RemittanceReference}.");
        return true;
    }

    private void MoveTo(string status, DateTimeOffset now, string detail)
    {
        if (SubmissionStatus.IsTerminal(Status))
        {
            throw new InvalidOperationException($"Submission {Id} is already {Status}; it cannot become {status}.");
        }
        Record(status, now, detail);
    }

    private void Record(string status, DateTimeOffset now, string detail)
    {
        Status = status;
        Timeline.Add(new TimelineEntry { Status = status, At = now, Detail = detail, TraceId = Activity.Current?.TraceId.ToString() });
    }
}
