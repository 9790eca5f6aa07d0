using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Notifications.Api.Data;

namespace Notifications.Api.Apis;

public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/notifications").WithTags("Notifications");
        api.MapGet("/", ListNotices);
        return api;
    }

    /// <summary>A practice's in-app notices, newest first.</summary>
    public static async Task<Results<Ok<NoticePage>, ProblemHttpResult>> ListNotices(NotificationsDbContext db, string? practiceOds,
        CancellationToken cancellationToken, int page = 1, int pageSize = 20)
    {
        if (string.IsNullOrWhiteSpace(practiceOds))
        {
            return (ProblemHttpResult)Problems.Create(StatusCodes.Status400BadRequest, "practice_required", "Say whose notices to list with ?practiceOds=.");
        }
        page = Math.Max(page, 1);
        pageSize = Math.Clamp(pageSize, 1, 100);
        var recipient = $"practice:{practiceOds}";
        var notices = db.Notices.AsNoTracking().Where(n => n.Recipient == recipient);
        var unread = await notices.CountAsync(n => n.ReadAt == null, cancellationToken);
        var items = await notices.OrderByDescending(n => n.CreatedAt).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(n => new NoticeView(n.Id, n.Kind, n.Title, n.Body, n.CreatedAt, n.ReadAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new NoticePage(items, unread, page, pageSize));
    }
}

public sealed record NoticeView(Guid Id, string Kind, string Title, string Body, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

public sealed record NoticePage(IReadOnlyList<NoticeView> Items, int Unread, int Page, int PageSize);
