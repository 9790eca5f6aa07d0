using System.Linq.Expressions;
using Platform.Contracts.Payments;
using Platform.Messaging;

namespace Payments.Api.Domain;

/// <summary>
/// The payment for one version of one submission. Its state only changes through the methods here, each a move
/// <see cref="PaymentStatus.CanMove"/> allows, recorded in <see cref="History"/>; the row version makes concurrent changes
/// (a decision racing a cancellation, two posting replicas) fail rather than overwrite each other. Each move records the event
/// that announces it in <see cref="DomainEvents"/>; saving the payment puts them in the outbox in the same transaction.
/// </summary>
public sealed class Payment : IHasDomainEvents
{
    public required Guid Id { get; init; }
    public required Guid SubmissionId { get; init; }
    public required int SubmissionVersion { get; init; }
    public required string PracticeOds { get; init; }
    public string? Icb { get; set; }
    public required string ServiceCode { get; init; }
    public required string Period { get; init; }
    public required string FinancialYear { get; init; }
    public required decimal Amount { get; init; }
    public required string Currency { get; init; }
    public required List<PaymentLineItem> Lines { get; init; }
    public string Status { get; private set; } = PaymentStatus.Calculated;
    public required bool RequiresApproval { get; init; }
    public string? ApprovalReason { get; init; }
    public DateTimeOffset? DecideBy { get; private set; }
    public int RemindersSent { get; private set; }
    public string? DecidedBy { get; private set; }

    /// <summary>The decider's display name when the decision was taken (null for decisions recorded before names were kept).</summary>
    public string? DecidedByName { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecisionReason { get; private set; }
    public string? RemittanceReference { get; private set; }
    public int PostingAttempts { get; private set; }
    public DateTimeOffset? NextPostingAt { get; private set; }
    public bool RetryRequested { get; private set; }
    public string? FailureReason { get; private set; }
    public required DateTimeOffset CalculatedAt { get; init; }
    public DateTimeOffset? SettledAt { get; private set; }

    /// <summary>The W3C trace context of the submission it pays, so every later step joins the submission's trace.</summary>
    public string? TraceParent { get; init; }
    public List<PaymentHistoryEntry> History { get; private set; } = [];
    public uint RowVersion { get; private set; }

    public DomainEvents DomainEvents { get; } = new();

    /// <summary>
    /// A payment that needs no approval is due for posting at once; <see cref="PaymentCalculated"/> announces it. A version that
    /// arrived after a newer one (<paramref name="supersededBy"/>) is cancelled at once and announces only that: nobody was ever
    /// told it was calculated.
    /// </summary>
    public static Payment Calculate(Guid id, Guid submissionId, int version, string practiceOds, string? icb, string serviceCode, string period,
        string financialYear, IReadOnlyList<PaymentLineItem> lines, bool requiresApproval, string? approvalReason, string? traceParent, DateTimeOffset now,
        int? supersededBy = null)
    {
        var payment = new Payment
        {
            Id = id,
            SubmissionId = submissionId,
            SubmissionVersion = version,
            PracticeOds = practiceOds,
            Icb = icb,
            ServiceCode = serviceCode,
            Period = period,
            FinancialYear = financialYear,
            Lines = [.. lines],
            Amount = lines.Sum(l => l.Amount),
            Currency = "GBP",
            RequiresApproval = requiresApproval,
            ApprovalReason = approvalReason,
            CalculatedAt = now,
            TraceParent = traceParent,
        };
        payment.History.Add(new PaymentHistoryEntry { Status = PaymentStatus.Calculated, At = now, By = "payments", Detail = $"£{payment.Amount:N2} over {lines.Count} lines." });
        if (!requiresApproval) payment.NextPostingAt = now;
        if (supersededBy is { } newer)
        {
            payment.Supersede(newer, now);
            return payment;
        }
        payment.DomainEvents.Record(new PaymentCalculated(payment.Id, payment.SubmissionId, payment.SubmissionVersion, payment.PracticeOds,
            payment.ServiceCode, payment.Period, payment.Amount, payment.Currency, payment.LinesForEvents(), payment.RequiresApproval, now));
        return payment;
    }

    public void AwaitApproval(DateTimeOffset decideBy, DateTimeOffset now)
    {
        MoveTo(PaymentStatus.AwaitingApproval, now, "payments", ApprovalReason ?? "approval required");
        DecideBy = decideBy;
        RecordAwaitingApproval(reminderNumber: 0);
    }

    /// <summary>The decision window passed without a decision: a reminder goes out and the window starts again.</summary>
    public int Remind(DateTimeOffset nextDecideBy)
    {
        if (Status != PaymentStatus.AwaitingApproval) throw new InvalidOperationException($"Payment {Id} is {Status}, not awaiting approval.");
        DecideBy = nextDecideBy;
        RecordAwaitingApproval(++RemindersSent);
        return RemindersSent;
    }

    public void Approve(string by, string? byName, string? reason, DateTimeOffset now)
    {
        MoveTo(PaymentStatus.Approved, now, by, reason ?? "approved", byName);
        (DecidedBy, DecidedByName, DecidedAt, DecisionReason, NextPostingAt) = (by, byName, now, reason, now);
        DomainEvents.Record(new PaymentApproved(Id, SubmissionId, SubmissionVersion, PracticeOds, by, now, byName, LocksAmendments));
    }

    public void Decline(string by, string? byName, string reason, DateTimeOffset now)
    {
        MoveTo(PaymentStatus.Declined, now, by, reason, byName);
        (DecidedBy, DecidedByName, DecidedAt, DecisionReason) = (by, byName, now, reason);
        DomainEvents.Record(new PaymentDeclined(Id, SubmissionId, SubmissionVersion, PracticeOds, ServiceCode, Period, Amount, reason, by, now, byName));
    }

    /// <summary>A newer version of its submission arrived before this payment was approved.</summary>
    public void Supersede(int byVersion, DateTimeOffset now)
    {
        var reason = $"Superseded by version {byVersion}.";
        MoveTo(PaymentStatus.Cancelled, now, "payments", reason);
        DomainEvents.Record(new PaymentCancelled(Id, SubmissionId, SubmissionVersion, PracticeOds, reason, now));
    }

    /// <summary>
    /// Whether the posting job may post it at <c>now</c>: the one definition, which the job's claim query runs in SQL
    /// (<see cref="DueForPosting"/>) and <see cref="IsDueForPosting"/> runs in memory.
    /// </summary>
    private static readonly Expression<Func<Payment, DateTimeOffset, bool>> DueRule = (p, now) =>
        p.NextPostingAt <= now && (p.Status == PaymentStatus.Approved
            || (p.Status == PaymentStatus.Calculated && !p.RequiresApproval)
            || (p.Status == PaymentStatus.PaymentFailed && p.RetryRequested));

    private static readonly Func<Payment, DateTimeOffset, bool> IsDue = DueRule.Compile();

    /// <summary>Whether the posting job may post it now.</summary>
    public bool IsDueForPosting(DateTimeOffset now) => IsDue(this, now);

    /// <summary>The payments due for posting at <paramref name="now"/>, as a filter a query can translate (now becomes a parameter).</summary>
    public static Expression<Func<Payment, bool>> DueForPosting(DateTimeOffset now) => DueRule.Bind(() => now);

    public void MarkPaid(string remittanceReference, DateTimeOffset now)
    {
        MoveTo(PaymentStatus.Paid, now, "ledger", $"posted with remittance reference {remittanceReference}");
        (RemittanceReference, SettledAt, NextPostingAt, RetryRequested, FailureReason) = (remittanceReference, now, null, false, null);
        DomainEvents.Record(new PaymentSettled(Id, SubmissionId, SubmissionVersion, PracticeOds, ServiceCode, Period, Amount, Currency,
            LinesForEvents(), remittanceReference, now, CalculatedAt, LocksAmendments));
    }

    /// <summary>
    /// Posted in the transaction that calculated it (a payment that needs no approval): announced once, as settled. PaymentSettled
    /// carries when it was calculated, so Submissions records both steps from one event instead of racing two.
    /// </summary>
    public void MarkPaidOnCalculation(string remittanceReference, DateTimeOffset now)
    {
        DomainEvents.Discard(e => e is PaymentCalculated calculated && calculated.PaymentId == Id);
        MarkPaid(remittanceReference, now);
    }

    /// <summary>A posting attempt failed: try again after <paramref name="retryAt"/>, or give up (payment-failed) when it is null.</summary>
    public void PostingFailed(string reason, DateTimeOffset? retryAt, DateTimeOffset now)
    {
        PostingAttempts++;
        FailureReason = reason;
        if (retryAt is not null)
        {
            NextPostingAt = retryAt;
            return;
        }
        MoveTo(PaymentStatus.PaymentFailed, now, "ledger", $"posting failed after {PostingAttempts} attempts: {reason}");
        (NextPostingAt, RetryRequested) = (null, false);
        DomainEvents.Record(new PaymentFailed(Id, SubmissionId, SubmissionVersion, PracticeOds, ServiceCode, Period, Amount,
            $"{reason} (after {PostingAttempts} attempts)", now, LocksAmendments));
    }

    /// <summary>An admin asks for a failed payment to be posted again, with a fresh set of attempts.</summary>
    public void RequestRetry(string by, DateTimeOffset now)
    {
        if (Status != PaymentStatus.PaymentFailed) throw new InvalidOperationException($"Payment {Id} is {Status}, not payment-failed.");
        (RetryRequested, PostingAttempts, NextPostingAt) = (true, 0, now);
        History.Add(new PaymentHistoryEntry { Status = Status, At = now, By = by, Detail = "retry requested" });
    }

    private void RecordAwaitingApproval(int reminderNumber) =>
        DomainEvents.Record(new PaymentAwaitingApproval(Id, SubmissionId, SubmissionVersion, PracticeOds, Icb ?? "", ServiceCode, Period, Amount,
            Currency, ApprovalReason ?? "approval required", DecideBy!.Value, reminderNumber));

    /// <summary>What the events of a move into a locking status tell Submissions, so it keeps no copy of the rule.</summary>
    private bool LocksAmendments => PaymentStatus.IsLocked(Status);

    private List<PaymentLine> LinesForEvents() => [.. Lines.Select(l => new PaymentLine(l.Indicator, l.Quantity, l.Rate, l.Amount))];

    private void MoveTo(string status, DateTimeOffset now, string by, string detail, string? byName = null)
    {
        if (!PaymentStatus.CanMove(Status, status))
        {
            throw new InvalidOperationException($"Payment {Id} cannot move from {Status} to {status}.");
        }
        Status = status;
        History.Add(new PaymentHistoryEntry { Status = status, At = now, By = by, ByName = byName, Detail = detail });
    }
}

public sealed class PaymentLineItem
{
    public required string Indicator { get; init; }
    public required decimal Quantity { get; init; }
    public required decimal Rate { get; init; }
    public required decimal Amount { get; init; }
}

public sealed class PaymentHistoryEntry
{
    public required string Status { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string By { get; init; }

    /// <summary>The person's display name, when a person did it and the token named them (null on older entries).</summary>
    public string? ByName { get; init; }
    public required string Detail { get; init; }
}
