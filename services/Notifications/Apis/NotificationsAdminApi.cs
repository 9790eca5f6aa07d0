using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Jobs;
using Platform.ServiceDefaults;

namespace Notifications.Api.Apis;

/// <summary>For platform admins: emails that failed after their last attempt, and a retry for each.</summary>
public static class NotificationsAdminApi
{
    public static RouteGroupBuilder MapNotificationsAdminApi(this RouteGroupBuilder notifications)
    {
        var admin = notifications.MapGroup("/admin")
            .RequireAuthorization(AuthenticationDefaults.Policies.PlatformAdmin);
        admin.MapGet("/failed", ListFailedAsync);
        admin.MapPost("/failed/{id:guid}/retry", RetryAsync);
        return admin;
    }

    /// <summary>Failed emails, most recently failed first, with every attempt's count and the last error.</summary>
    public static async Task<Ok<PageOf<FailedEmailView>>> ListFailedAsync(NotificationsDbContext db, CancellationToken cancellationToken,
        int page = 1, int pageSize = 50)
    {
        var paging = Paging.Of(page, pageSize, maxPageSize: 200);
        var failed = db.Emails.AsNoTracking().Where(e => e.Status == EmailStatus.Failed);
        var total = await failed.CountAsync(cancellationToken);
        var items = await failed.OrderByDescending(e => e.FailedAt).ThenBy(e => e.Id)
            .Skip(paging.Skip).Take(paging.PageSize)
            .Select(e => new FailedEmailView(e.Id, e.Kind, e.Recipient, e.RecipientUserId, e.Subject, e.SourceMessageId,
                db.EmailAttempts.Count(a => a.EmailId == e.Id), e.LastError, e.CreatedAt, e.FailedAt, e.RetriedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageOf<FailedEmailView>(items, paging.Page, paging.PageSize, total));
    }

    /// <summary>Queues a failed email for another round of attempts (202); its earlier attempts stay on record.</summary>
    public static async Task<Results<Accepted<RetriedEmail>, ProblemHttpResult>> RetryAsync(Guid id, ClaimsPrincipal user,
        NotificationsDbContext db, DeliverySignal delivery, TimeProvider clock, CancellationToken cancellationToken)
    {
        var email = await db.Emails.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (email is null) return Problems.NotFound("The email");
        if (!email.Retry(Caller.From(user).UserGuid, clock.GetUtcNow()))
        {
            return Problems.Create(StatusCodes.Status409Conflict, "not_failed", $"The email is {email.Status}, not failed.");
        }
        await db.SaveChangesAsync(cancellationToken);
        delivery.Wake();
        return TypedResults.Accepted((string?)null, new RetriedEmail(email.Id, email.Status, email.NextAttemptAt));
    }
}

public sealed record FailedEmailView(Guid Id, string Kind, string Recipient, Guid? RecipientUserId, string Subject, Guid SourceMessageId,
    int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? FailedAt, DateTimeOffset? RetriedAt);

public sealed record RetriedEmail(Guid Id, string Status, DateTimeOffset NextAttemptAt);
