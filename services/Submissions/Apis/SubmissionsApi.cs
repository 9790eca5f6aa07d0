using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults;
using Submissions.Api.Application;
using Submissions.Api.Data;
using Submissions.Api.Domain;
using Submissions.Api.Telemetry;

namespace Submissions.Api.Apis;

public static class SubmissionsApi
{
    private static readonly Guid ExampleId = Guid.Parse("0b6f3c1e-6a57-4e0e-9d47-2f1c7f2f5a10");
    private static readonly DateTimeOffset ExampleTime = new(2026, 10, 14, 9, 30, 0, TimeSpan.Zero);

    public static RouteGroupBuilder MapSubmissionsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/submissions").WithTags("Submissions").RequireAuthorization(AuthenticationDefaults.Policies.Authenticated);
        api.MapPost("/", Submit).RequireAuthorization(AuthenticationDefaults.Policies.PracticeMember).RequireIdempotencyKey()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithExamples(
                request: new SubmissionRequest("A81001", "FLU", "2026-10", [new SubmissionValueRequest("FLU_65_PLUS", 120)]),
                response: new SubmissionReceipt(ExampleId, 1, SubmissionStatus.Validated, ExampleTime,
                    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "4bf92f3577b34da6a3ce929d0e0e4736", $"/api/submissions/{ExampleId}"));
        api.MapGet("/catalogue", CatalogueApi.GetCatalogue);
        api.MapGet("/{id:guid}", GetSubmission);
        api.MapGet("/{id:guid}/events", SubmissionEventStream.Stream)
            .Produces<StatusChangeEvent>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/", ListSubmissions);
        return api;
    }

    /// <summary>The submissions the caller may see: its practice's, its ICB's practices' (commissioners), or all (platform admins).</summary>
    public static IQueryable<Submission> VisibleTo(this SubmissionsDbContext db, Caller caller)
    {
        var submissions = db.Submissions.AsNoTracking();
        if (caller.IsPlatformAdmin) return submissions;
        if (caller.ActsForPractice) return submissions.Where(s => s.PracticeOds == caller.PracticeOds);
        if (caller.IsCommissioner) return submissions.Where(s => db.Practices.Any(p => p.Ods == s.PracticeOds && p.Icb == caller.Icb));
        return submissions.Where(_ => false);
    }

    public static async Task<Results<Accepted<SubmissionReceipt>, ProblemHttpResult>> Submit(
        HttpRequest http,
        SubmissionRequest request,
        Caller caller,
        SubmissionIntake intake,
        SubmissionMetrics metrics,
        Catalogue catalogue,
        CancellationToken cancellationToken)
    {
        if (!caller.ActsForPractice)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "forbidden",
                "Only a practice's users and system clients submit.", "Sign in as a user or system client of the practice.");
        }
        var (idempotencyKey, refusal) = IdempotencyKey.Read(http); // RequireIdempotencyKey has refused a missing or malformed one
        if (refusal is not null) return refusal;

        var outcome = await intake.SubmitAsync(request, idempotencyKey!, caller, cancellationToken);
        var serviceCode = request.ServiceCode is { } code && catalogue.HasService(code) ? code : "unknown";
        switch (outcome)
        {
            case SubmissionIntake.Accepted accepted:
                metrics.Accepted(serviceCode);
                break;
            case SubmissionIntake.Invalid:
                metrics.Rejected(serviceCode, "intake", "validation_failed");
                break;
            case SubmissionIntake.Locked:
                metrics.Rejected(serviceCode, "intake", "submission_locked");
                break;
        }

        return outcome switch
        {
            SubmissionIntake.Accepted accepted => Receipt(accepted.Submission),
            SubmissionIntake.Replayed replayed => Receipt(replayed.Submission),
            SubmissionIntake.Invalid invalid => Problems.Validation(invalid.Errors),
            SubmissionIntake.KeyReused => IdempotencyKey.Reused(),
            SubmissionIntake.Locked locked => Problems.Create(StatusCodes.Status409Conflict, "submission_locked",
                "This submission can no longer be amended.",
                $"Version {locked.Version} is {locked.Status}: once a payment is approved the period is closed for this practice.",
                new Dictionary<string, object?> { ["lockedVersion"] = locked.Version, ["lockedStatus"] = locked.Status }),
            var other => throw new InvalidOperationException($"Unexpected outcome {other}"),
        };

        static Accepted<SubmissionReceipt> Receipt(Submission submission)
        {
            SubmissionTrace.Tag(submission);
            var receipt = SubmissionReceipt.From(submission);
            return TypedResults.Accepted(receipt.StatusUrl, receipt);
        }
    }

    public static async Task<Results<Ok<SubmissionView>, ProblemHttpResult>> GetSubmission(
        Guid id, Caller caller, SubmissionsDbContext db, CancellationToken cancellationToken)
    {
        var submission = await db.VisibleTo(caller).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (submission is not null) SubmissionTrace.Tag(submission);
        return submission is null
            ? Problems.NotFound("The submission")
            : TypedResults.Ok(SubmissionView.From(submission));
    }

    public static async Task<Ok<PageOf<SubmissionSummary>>> ListSubmissions(
        Caller caller, SubmissionsDbContext db, string? practiceOds, string? serviceCode, string? period, string? status,
        CancellationToken cancellationToken, int page = 1, int pageSize = 50)
    {
        var paging = Paging.Of(page, pageSize, maxPageSize: 200);
        var query = db.VisibleTo(caller).IgnoreAutoIncludes();
        if (!string.IsNullOrEmpty(practiceOds)) query = query.Where(s => s.PracticeOds == practiceOds);
        if (!string.IsNullOrEmpty(serviceCode)) query = query.Where(s => s.ServiceCode == serviceCode);
        if (!string.IsNullOrEmpty(period)) query = query.Where(s => s.Period == period);
        if (!string.IsNullOrEmpty(status)) query = query.Where(s => s.Status == status);

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(s => s.ReceivedAt).ThenByDescending(s => s.Version)
            .Skip(paging.Skip).Take(paging.PageSize)
            .Select(s => new SubmissionSummary(s.Id, s.PracticeOds, s.ServiceCode, s.Period, s.Version, s.Status, s.ReceivedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageOf<SubmissionSummary>(items, paging.Page, paging.PageSize, total));
    }
}
