using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Data;
using Payments.Api.Domain;

namespace Payments.Api.Apis;

public static class PaymentsApi
{
    public static RouteGroupBuilder MapPaymentsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/payments").WithTags("Payments");
        api.MapGet("/{id:guid}", GetPayment);
        api.MapGet("/", ListPayments);
        return api;
    }

    public static async Task<Results<Ok<PaymentView>, ProblemHttpResult>> GetPayment(Guid id, PaymentsDbContext db, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return payment is null ? (ProblemHttpResult)Problems.NotFound("The payment") : TypedResults.Ok(PaymentView.From(payment));
    }

    public static async Task<Ok<List<PaymentView>>> ListPayments(PaymentsDbContext db, string? status, Guid? submissionId,
        CancellationToken cancellationToken, int pageSize = 50)
    {
        var query = db.Payments.AsNoTracking();
        if (!string.IsNullOrEmpty(status)) query = query.Where(p => p.Status == status);
        if (submissionId is not null) query = query.Where(p => p.SubmissionId == submissionId);
        var payments = await query.OrderByDescending(p => p.CalculatedAt).Take(Math.Clamp(pageSize, 1, 200)).ToListAsync(cancellationToken);
        return TypedResults.Ok(payments.Select(PaymentView.From).ToList());
    }
}

public sealed record PaymentView(Guid Id, Guid SubmissionId, int SubmissionVersion, string PracticeOds, string ServiceCode, string Period,
    decimal Amount, string Currency, string Status, string? RemittanceReference, IReadOnlyList<PaymentLineItem> Lines,
    DateTimeOffset CalculatedAt, DateTimeOffset? SettledAt)
{
    public static PaymentView From(Payment p) => new(p.Id, p.SubmissionId, p.SubmissionVersion, p.PracticeOds, p.ServiceCode, p.Period,
        p.Amount, p.Currency, p.Status, p.RemittanceReference, p.Lines, p.CalculatedAt, p.SettledAt);
}
