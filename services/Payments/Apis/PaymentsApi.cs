using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Application;
using Payments.Api.Data;
using Payments.Api.Domain;
using Platform.ServiceDefaults;

namespace Payments.Api.Apis;

public static class PaymentsApi
{
    public static RouteGroupBuilder MapPaymentsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/payments").WithTags("Payments").RequireAuthorization(AuthenticationDefaults.Policies.Authenticated);
        api.MapGet("/rules", RulesApi.GetRules);
        api.MapGet("/{id:guid}", GetPayment);
        api.MapGet("/", ListPayments);
        api.MapPost("/{id:guid}/decision", Decide).RequireAuthorization(AuthenticationDefaults.Policies.Commissioner)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithExamples(request: new DecisionRequest(Decisions.Decline, "The counts do not match the clinical system's report."));
        api.MapPost("/{id:guid}/retry", Retry).RequireAuthorization(AuthenticationDefaults.Policies.PlatformAdmin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    /// <summary>The payments the caller may see: its practice's, its ICB's (commissioners), or all (platform admins).</summary>
    public static IQueryable<Payment> VisibleTo(this IQueryable<Payment> payments, Caller caller)
    {
        if (caller.IsPlatformAdmin) return payments;
        if (caller.ActsForPractice) return payments.Where(p => p.PracticeOds == caller.PracticeOds);
        if (caller.IsCommissioner) return payments.Where(p => p.Icb == caller.Icb);
        return payments.Where(_ => false);
    }

    public static async Task<Results<Ok<PaymentView>, ProblemHttpResult>> GetPayment(Guid id, Caller caller, PaymentsDbContext db, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().VisibleTo(caller).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return payment is null ? Problems.NotFound("The payment") : TypedResults.Ok(PaymentView.From(payment));
    }

    /// <summary>The caller's payments, newest first, a page at a time.</summary>
    public static async Task<Results<Ok<PageOf<PaymentView>>, ProblemHttpResult>> ListPayments(Caller caller, PaymentsDbContext db,
        string? status, Guid? submissionId, string? practiceOds, CancellationToken cancellationToken, int page = 1, int pageSize = 50)
    {
        if (!string.IsNullOrEmpty(status) && !PaymentStatus.All.Contains(status))
        {
            return Problems.Validation([new FieldError("status", "unknown_status", $"The status is one of: {string.Join(", ", PaymentStatus.All)}.")]);
        }
        var paging = Paging.Of(page, pageSize, maxPageSize: 200);
        var query = db.Payments.AsNoTracking().VisibleTo(caller);
        if (!string.IsNullOrEmpty(status)) query = query.Where(p => p.Status == status);
        if (submissionId is not null) query = query.Where(p => p.SubmissionId == submissionId);
        if (!string.IsNullOrEmpty(practiceOds)) query = query.Where(p => p.PracticeOds == practiceOds);
        var total = await query.CountAsync(cancellationToken);
        var payments = await query.OrderByDescending(p => p.CalculatedAt).ThenBy(p => p.Id)
            .Skip(paging.Skip).Take(paging.PageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageOf<PaymentView>([.. payments.Select(PaymentView.From)], paging.Page, paging.PageSize, total));
    }

    /// <summary>
    /// A commissioner of the practice's ICB approves or declines a payment awaiting approval (404 outside their ICB). Repeating the
    /// decision already taken answers it again; any other state is 409. Runs in the submission's trace, so its events carry it.
    /// </summary>
    public static async Task<Results<Ok<PaymentView>, ProblemHttpResult>> Decide(Guid id, DecisionRequest request, Caller caller, PaymentsDbContext db, PostingSignal posting,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.VisibleTo(caller).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (payment is null) return Problems.NotFound("The payment");

        var errors = new List<FieldError>();
        var decision = request.Decision?.Trim().ToLowerInvariant();
        if (decision is not (Decisions.Approve or Decisions.Decline)) errors.Add(new("decision", "invalid_decision", "The decision is approve or decline."));
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        if (decision == Decisions.Decline && reason is null) errors.Add(new("reason", "required", "Say why the payment is declined; the practice sees it."));
        if (reason?.Length > 1000) errors.Add(new("reason", "too_long", "The reason is at most 1,000 characters."));
        if (errors.Count > 0) return Problems.Validation(errors);

        var target = decision == Decisions.Approve ? PaymentStatus.Approved : PaymentStatus.Declined;
        if (payment.Status != PaymentStatus.AwaitingApproval)
        {
            var alreadyDecided = payment.DecidedBy is not null && (payment.Status == target || (target == PaymentStatus.Approved && PaymentStatus.IsLocked(payment.Status)));
            return alreadyDecided
                ? TypedResults.Ok(PaymentView.From(payment))
                : Problems.Create(StatusCodes.Status409Conflict, "payment_not_awaiting_approval", "This payment is not awaiting approval.",
                    $"The payment is {payment.Status}.", new Dictionary<string, object?> { ["paymentStatus"] = payment.Status });
        }

        var now = clock.GetUtcNow();
        var by = caller.UserId!;
        var byName = caller.Name is { Length: > 0 } name ? name[..Math.Min(name.Length, 200)] : null;
        using (PaymentTrace.Continue(payment, $"payment decision: {decision}"))
        {
            if (target == PaymentStatus.Approved) payment.Approve(by, byName, reason, now);
            else payment.Decline(by, byName, reason!, now);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "concurrent_change", "The payment changed while you decided.",
                "Read it again: it may have been superseded by a newer version or decided by someone else.");
        }
        if (target == PaymentStatus.Approved) posting.Wake();
        return TypedResults.Ok(PaymentView.From(payment));
    }

    /// <summary>A platform admin asks for a payment-failed payment to be posted again (202: the posting job takes it).</summary>
    public static async Task<Results<Accepted<PaymentView>, ProblemHttpResult>> Retry(Guid id, Caller caller, PaymentsDbContext db, PostingSignal posting, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var payment = await db.Payments.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (payment is null) return Problems.NotFound("The payment");
        if (payment.Status != PaymentStatus.PaymentFailed)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "payment_not_failed", "Only a payment-failed payment can be retried.",
                $"The payment is {payment.Status}.", new Dictionary<string, object?> { ["paymentStatus"] = payment.Status });
        }
        payment.RequestRetry(caller.UserId!, clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "concurrent_change", "The payment changed meanwhile.", "Read it again.");
        }
        posting.Wake();
        return TypedResults.Accepted($"/api/payments/{payment.Id}", PaymentView.From(payment));
    }
}

public static class Decisions
{
    public const string Approve = "approve";
    public const string Decline = "decline";
}

public sealed record DecisionRequest(string? Decision, string? Reason);

public sealed record PaymentView(Guid Id, Guid SubmissionId, int SubmissionVersion, string PracticeOds, string? Icb, string ServiceCode, string Period,
    string FinancialYear, decimal Amount, string Currency, string Status, bool RequiresApproval, string? ApprovalReason, DateTimeOffset? DecideBy,
    int RemindersSent, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionReason, string? RemittanceReference, string? FailureReason,
    int PostingAttempts, IReadOnlyList<PaymentLineView> Lines, IReadOnlyList<PaymentHistoryView> History, DateTimeOffset CalculatedAt, DateTimeOffset? SettledAt,
    string? DecidedByName)
{
    public static PaymentView From(Payment p) => new(p.Id, p.SubmissionId, p.SubmissionVersion, p.PracticeOds, p.Icb, p.ServiceCode, p.Period,
        p.FinancialYear, p.Amount, p.Currency, p.Status, p.RequiresApproval, p.ApprovalReason, p.DecideBy, p.RemindersSent, p.DecidedBy, p.DecidedAt,
        p.DecisionReason, p.RemittanceReference, p.FailureReason, p.PostingAttempts,
        [.. p.Lines.Select(l => new PaymentLineView(l.Indicator, l.Quantity, l.Rate, l.Amount))],
        [.. p.History.Select(h => new PaymentHistoryView(h.Status, h.At, h.By, h.Detail, h.ByName))], p.CalculatedAt, p.SettledAt, p.DecidedByName);
}

public sealed record PaymentLineView(string Indicator, decimal Quantity, decimal Rate, decimal Amount);

/// <summary>One step of a payment's history; <c>byName</c> is the person's display name where known (null for older entries and for the system).</summary>
public sealed record PaymentHistoryView(string Status, DateTimeOffset At, string By, string Detail, string? ByName);
