using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Submissions.Api.Data;

namespace Submissions.Api.Apis;

public static class SubmissionsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int MaxIdempotencyKeyLength = 200;

    public static RouteGroupBuilder MapSubmissionsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/submissions").WithTags("Submissions");
        api.MapPost("/", Submit);
        api.MapGet("/{id:guid}", GetSubmission);
        api.MapGet("/", ListSubmissions);
        return api;
    }

    public static async Task<IResult> Submit(
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        SubmissionRequest request,
        SubmissionIntake intake,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "idempotency_key_required",
                "An Idempotency-Key header is required.",
                $"Send a unique Idempotency-Key header (at most {MaxIdempotencyKeyLength} characters) with each new submission.");
        }

        return await intake.SubmitAsync(request, idempotencyKey, cancellationToken) switch
        {
            SubmissionIntake.Accepted accepted => Receipt(accepted.Submission),
            SubmissionIntake.Replayed replayed => Receipt(replayed.Submission),
            SubmissionIntake.Invalid invalid => Problems.Validation(invalid.Errors),
            SubmissionIntake.KeyReused => Problems.Create(StatusCodes.Status409Conflict, "idempotency_key_reused",
                "This Idempotency-Key was already used for a different submission.",
                "Use a new Idempotency-Key for new content."),
            var other => throw new InvalidOperationException($"Unexpected outcome {other}"),
        };

        static IResult Receipt(Domain.Submission submission)
        {
            var receipt = SubmissionReceipt.From(submission);
            return TypedResults.Accepted(receipt.StatusUrl, receipt);
        }
    }

    public static async Task<Results<Ok<SubmissionView>, ProblemHttpResult>> GetSubmission(
        Guid id, SubmissionsDbContext db, CancellationToken cancellationToken)
    {
        var submission = await db.Submissions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        return submission is null
            ? (ProblemHttpResult)Problems.NotFound("The submission")
            : TypedResults.Ok(SubmissionView.From(submission));
    }

    public static async Task<Ok<PageOf<SubmissionSummary>>> ListSubmissions(
        SubmissionsDbContext db, string? serviceCode, string? period, string? status,
        CancellationToken cancellationToken, int page = 1, int pageSize = 50)
    {
        page = Math.Max(page, 1);
        pageSize = Math.Clamp(pageSize, 1, 200);
        var query = db.Submissions.AsNoTracking().IgnoreAutoIncludes();
        if (!string.IsNullOrEmpty(serviceCode)) query = query.Where(s => s.ServiceCode == serviceCode);
        if (!string.IsNullOrEmpty(period)) query = query.Where(s => s.Period == period);
        if (!string.IsNullOrEmpty(status)) query = query.Where(s => s.Status == status);

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(s => s.ReceivedAt)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(s => new SubmissionSummary(s.Id, s.PracticeOds, s.ServiceCode, s.Period, s.Version, s.Status, s.ReceivedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageOf<SubmissionSummary>(items, page, pageSize, total));
    }
}
