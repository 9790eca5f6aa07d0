using System.Diagnostics;
using Platform.Contracts.Submissions;
using Platform.Messaging;

namespace Submissions.Api.Domain;

/// <summary>
/// A practice's achievement data for one service and period, and everything that happened to it. The moves other services
/// hear of (accepted, stalled) record their events here; the save puts them in the outbox.
/// </summary>
public sealed class Submission : IHasDomainEvents
{
    public Guid Id { get; private set; }
    public required string PracticeOds { get; init; }
    public required string ServiceCode { get; init; }
    public required string Period { get; init; }
    public required string FinancialYear { get; init; }
    public required int Version { get; init; }
    public int? Supersedes { get; init; }
    public required List<SubmittedValue> Values { get; init; }
    public required string ContentSha256 { get; init; }
    public required string IdempotencyKey { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public string? SubmittedBy { get; init; }
    public string? TraceId { get; init; }
    public string Status { get; private set; } = SubmissionStatus.Received;
    public DateTimeOffset StatusChangedAt { get; private set; }
    public DateTimeOffset? StalledAt { get; private set; }
    public PaymentSummary? Payment { get; private set; }

    /// <summary>
    /// Payments said this version's payment locks its (practice, service, period): no later version will be paid, so intake
    /// refuses one. The rule is Payments' (its <c>PaymentStatus.IsLocked</c>); this side only keeps what the events said.
    /// </summary>
    public bool LocksAmendments { get; private set; }
    public List<TimelineEntry> Timeline { get; private set; } = [];
    public uint RowVersion { get; private set; }
    public DomainEvents DomainEvents { get; } = new();

    public static Submission Receive(Guid id, string practiceOds, string serviceCode, string period, string financialYear, int version,
        IReadOnlyList<SubmittedValue> values, string contentSha256, string idempotencyKey, string? submittedBy, DateTimeOffset now)
    {
        var submission = new Submission
        {
            PracticeOds = practiceOds,
            ServiceCode = serviceCode,
            Period = period,
            FinancialYear = financialYear,
            Version = version,
            Supersedes = version > 1 ? version - 1 : null,
            Values = [.. values],
            ContentSha256 = contentSha256,
            IdempotencyKey = idempotencyKey,
            SubmittedBy = submittedBy,
            ReceivedAt = now,
            TraceId = Activity.Current?.TraceId.ToString(),
        };
        submission.Id = id;
        submission.Record(SubmissionStatus.Received, now,
            version > 1 ? $"Version {version} received with {values.Count} values; it supersedes version {version - 1}." : $"Version 1 received with {values.Count} values.");
        return submission;
    }

    /// <summary>Every value passed validation: the submission is accepted, and Payments hears of it.</summary>
    public void MarkValidated(DateTimeOffset now)
    {
        Advance(SubmissionStatus.Validated, now, "All values passed validation against the catalogue.");
        DomainEvents.Record(new SubmissionAccepted(Id, Version, PracticeOds, ServiceCode, Period,
            [.. Values.Select(v => new IndicatorValue(v.Indicator, v.Value))], ContentSha256, now, SubmittedBy, Supersedes, FinancialYear));
    }

    public bool RecordCalculated(PaymentSummary payment, bool requiresApproval, DateTimeOffset now) =>
        Advance(SubmissionStatus.Calculated, now,
            $"Payment calculated: £{payment.Amount:N2} over {payment.Lines.Count} lines{(requiresApproval ? "; it needs a commissioner's approval" : "")}.",
            payment);

    public bool RecordAwaitingApproval(decimal amount, string reason, DateTimeOffset decideBy, DateTimeOffset now) =>
        Advance(SubmissionStatus.AwaitingApproval, now,
            $"£{amount:N2} awaits a commissioner's approval ({reason}); decision due by {decideBy:yyyy-MM-dd HH:mm} UTC.",
            Payment?.With(SubmissionStatus.AwaitingApproval));

    public bool RecordApproved(string approvedBy, DateTimeOffset now) =>
        Advance(SubmissionStatus.Approved, now, $"Payment approved by {approvedBy}.", Payment?.With(SubmissionStatus.Approved));

    /// <summary>
    /// Paid. Payments' events travel on separate queues, so the settlement can arrive before the calculation: when it says
    /// when the payment was calculated, that step is recorded first, so anyone following sees it before the final status.
    /// </summary>
    public bool RecordPaid(PaymentSummary payment, DateTimeOffset now, DateTimeOffset? calculatedAt = null)
    {
        if (calculatedAt is { } at && SubmissionStatus.Rank(Status) < SubmissionStatus.Rank(SubmissionStatus.Calculated))
        {
            RecordCalculated(payment.With(SubmissionStatus.Calculated), requiresApproval: false, at);
        }
        return Advance(SubmissionStatus.Paid, now, $"£{payment.Amount:N2} paid, remittance reference {payment.RemittanceReference}.", payment);
    }

    public bool RecordDeclined(PaymentSummary payment, string declinedBy, string reason, DateTimeOffset now) =>
        Advance(SubmissionStatus.Declined, now, $"Payment declined by {declinedBy}: {reason}", payment);

    public bool RecordPaymentFailed(PaymentSummary payment, string reason, DateTimeOffset now) =>
        Advance(SubmissionStatus.PaymentFailed, now, $"Payment could not be posted: {reason}", payment);

    /// <summary>Keeps Payments' word that the period is locked; an event that does not say so (or is older than the field) changes nothing.</summary>
    public void RecordAmendmentLock(bool? locksAmendments)
    {
        if (locksAmendments == true) LocksAmendments = true;
    }

    public bool RecordRejected(string code, string reason, DateTimeOffset now) =>
        Advance(SubmissionStatus.Rejected, now, $"Rejected ({code}): {reason}");

    public bool RecordSuperseded(PaymentSummary? cancelledPayment, string reason, DateTimeOffset now) =>
        Advance(SubmissionStatus.Superseded, now, reason, cancelledPayment);

    /// <summary>Marks the submission as reported stalled; only the first call counts.</summary>
    public bool MarkStalled(DateTimeOffset now)
    {
        if (StalledAt is not null) return false;
        StalledAt = now;
        DomainEvents.Record(new SubmissionStalled(Id, Version, PracticeOds, ServiceCode, Period, Status, ReceivedAt, now - ReceivedAt, now));
        return true;
    }

    /// <summary>
    /// Moves forward only: an event that arrives late (its status is not past the current one) changes nothing,
    /// so each status appears on the timeline at most once whatever order Payments' events arrive in.
    /// </summary>
    private bool Advance(string status, DateTimeOffset now, string detail, PaymentSummary? payment = null)
    {
        if (SubmissionStatus.IsFinal(Status) || SubmissionStatus.Rank(status) <= SubmissionStatus.Rank(Status))
        {
            // A late event may still know the lines an earlier-arriving one did not carry; the outcome stays the current one.
            if (Payment is null && payment is not null) Payment = payment.With(OutcomeOf(Status) ?? payment.Outcome);
            else if (Payment is { Lines.Count: 0 } && payment is { Lines.Count: > 0 }) Payment = Payment.WithLines(payment.Lines);
            // Payments' events travel on separate queues, so a step can arrive after a later one: it still belongs on
            // the timeline (once, at the time it happened), while the status stays where it is.
            if (IsIntermediateStep(status) && Timeline.All(entry => entry.Status != status))
            {
                Timeline.Add(new TimelineEntry { Status = status, At = now, Detail = detail, TraceId = Activity.Current?.TraceId.ToString() });
            }
            return false;
        }
        if (payment is not null) Payment = payment;
        Record(status, now, detail);
        return true;
    }

    private static bool IsIntermediateStep(string status) =>
        status is SubmissionStatus.Calculated or SubmissionStatus.AwaitingApproval or SubmissionStatus.Approved;

    private static string? OutcomeOf(string status) => status switch
    {
        SubmissionStatus.Superseded => "cancelled",
        SubmissionStatus.Calculated or SubmissionStatus.AwaitingApproval or SubmissionStatus.Approved or SubmissionStatus.Paid
            or SubmissionStatus.Declined or SubmissionStatus.PaymentFailed => status,
        _ => null,
    };

    private void Record(string status, DateTimeOffset now, string detail)
    {
        Status = status;
        StatusChangedAt = now;
        Timeline.Add(new TimelineEntry { Status = status, At = now, Detail = detail, TraceId = Activity.Current?.TraceId.ToString() });
    }
}
