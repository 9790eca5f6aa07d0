using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Platform.ServiceDefaults;

namespace Notifications.Api.Apis;

/// <summary>
/// The caller's in-app inbox and email preferences. Every query is scoped to the caller's own user id, so another
/// person's notice is simply not found (404).
/// </summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization();
        api.MapGet("/", ListAsync);
        api.MapPost("/{id:guid}/read", MarkReadAsync);
        api.MapPost("/read-all", MarkAllReadAsync);
        api.MapGet("/preferences", GetPreferencesAsync);
        api.MapPut("/preferences", PutPreferencesAsync);
        api.MapNotificationsAdminApi();
        return api;
    }

    /// <summary>The caller's notices, newest first, with how many are unread.</summary>
    public static async Task<Results<Ok<NoticePage>, ProblemHttpResult>> ListAsync(ClaimsPrincipal user, NotificationsDbContext db,
        CancellationToken cancellationToken, int page = 1, int pageSize = 20, bool unreadOnly = false)
    {
        if (Caller.From(user).UserGuid is not { } userId) return NoInbox();
        var paging = Paging.Of(page, pageSize, maxPageSize: 100);
        var mine = db.Notices.AsNoTracking().Where(n => n.RecipientUserId == userId);
        var unread = await mine.CountAsync(n => n.ReadAt == null, cancellationToken);
        var listed = unreadOnly ? mine.Where(n => n.ReadAt == null) : mine;
        var total = unreadOnly ? unread : await mine.CountAsync(cancellationToken);
        var items = await listed.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Skip(paging.Skip).Take(paging.PageSize)
            .Select(n => new NoticeView(n.Id, n.Kind, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new NoticePage(items, paging.Page, paging.PageSize, total, unread));
    }

    /// <summary>Marks one of the caller's notices read (again is fine); someone else's is not found.</summary>
    public static async Task<Results<Ok<NoticeView>, ProblemHttpResult>> MarkReadAsync(Guid id, ClaimsPrincipal user, NotificationsDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Caller.From(user).UserGuid is not { } userId) return NoInbox();
        var notice = await db.Notices.SingleOrDefaultAsync(n => n.Id == id && n.RecipientUserId == userId, cancellationToken);
        if (notice is null) return Problems.NotFound("The notification");
        if (notice.MarkRead(clock.GetUtcNow())) await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new NoticeView(notice.Id, notice.Kind, notice.Title, notice.Body, notice.Link, notice.CreatedAt, notice.ReadAt));
    }

    /// <summary>Marks all the caller's unread notices read.</summary>
    public static async Task<Results<Ok<MarkedRead>, ProblemHttpResult>> MarkAllReadAsync(ClaimsPrincipal user, NotificationsDbContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Caller.From(user).UserGuid is not { } userId) return NoInbox();
        var now = clock.GetUtcNow();
        var marked = await db.Notices.Where(n => n.RecipientUserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(update => update.SetProperty(n => n.ReadAt, now), cancellationToken);
        return TypedResults.Ok(new MarkedRead(marked));
    }

    public static async Task<Results<Ok<Preferences>, ProblemHttpResult>> GetPreferencesAsync(ClaimsPrincipal user, NotificationsDbContext db,
        CancellationToken cancellationToken)
    {
        if (Caller.From(user).UserGuid is not { } userId) return NoInbox();
        var muted = await db.People.AsNoTracking().Where(p => p.UserId == userId).Select(p => p.MutedEmailKinds).SingleOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(Preferences.Of(muted ?? []));
    }

    /// <summary>
    /// Replaces which emails the caller gets: every kind listed with <c>enabled: false</c> is turned off, every other kind is on.
    /// Security notices (expiry, reset, invitation, password changed, lockout) cannot be turned off. The in-app inbox keeps every kind.
    /// </summary>
    public static async Task<Results<Ok<Preferences>, ProblemHttpResult>> PutPreferencesAsync(PreferencesUpdate? update, ClaimsPrincipal user,
        NotificationsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Caller.From(user).UserGuid is not { } userId) return NoInbox();
        if (update?.Emails is not { } emails)
        {
            return Problems.Validation([new FieldError("emails", "required", "List the kinds of email with enabled true or false.")]);
        }
        var errors = new List<FieldError>();
        for (var i = 0; i < emails.Count; i++)
        {
            var kind = emails[i].Kind;
            if (kind is null || !NotificationKinds.All.TryGetValue(kind, out var spec))
            {
                errors.Add(new FieldError($"emails[{i}].kind", "unknown_kind", $"'{kind}' is not a kind of notification: {string.Join(", ", NotificationKinds.All.Keys)}."));
            }
            else if (spec.Security && !emails[i].Enabled)
            {
                errors.Add(new FieldError($"emails[{i}].enabled", "security_notice", $"'{kind}' is a security notice and cannot be turned off."));
            }
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        var person = await db.People.FindAsync([userId], cancellationToken);
        if (person is null)
        {
            // Their registration has not reached the directory yet: keep the preferences; it fills in the rest.
            person = new Person { UserId = userId };
            db.People.Add(person);
        }
        person.MuteEmails(emails.Where(e => !e.Enabled).Select(e => e.Kind!), clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(Preferences.Of(person.MutedEmailKinds));
    }

    private static ProblemHttpResult NoInbox() =>
        Problems.Create(StatusCodes.Status403Forbidden, "no_inbox", "Only a signed-in person has notifications.");
}

public sealed record NoticeView(Guid Id, string Kind, string Title, string Body, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

/// <summary>A page of the inbox, with how many of all the caller's notices are unread (whatever the filter) beside the page.</summary>
public sealed record NoticePage(IReadOnlyList<NoticeView> Items, int Page, int PageSize, int Total, int Unread)
    : PageOf<NoticeView>(Items, Page, PageSize, Total);

public sealed record MarkedRead(int Marked);

public sealed record EmailPreference(string Kind, bool Enabled, bool CanTurnOff);

public sealed record Preferences(IReadOnlyList<EmailPreference> Emails)
{
    public static Preferences Of(IReadOnlyCollection<string> muted) => new(
        [.. NotificationKinds.All.Values.Select(spec => new EmailPreference(spec.Kind, !muted.Contains(spec.Kind), !spec.Security))]);
}

public sealed record EmailPreferenceUpdate(string? Kind, bool Enabled);

public sealed record PreferencesUpdate(IReadOnlyList<EmailPreferenceUpdate>? Emails);
