using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.ServiceDefaults;
using Submissions.Api.Data;
using Submissions.Api.Domain;

namespace Submissions.Api.Apis;

/// <summary>
/// <c>GET /api/submissions/{id}/events</c>: the submission's status changes as server-sent events (<c>event: status</c>, the id is
/// the timeline entry's). It sends the timeline so far (or what follows <c>Last-Event-ID</c> on a reconnect), then each change as it
/// is recorded, and ends after a terminal status or after <see cref="SubmissionEventOptions.MaxDuration"/>. It reads the database, so
/// it sees changes whichever replica recorded them.
/// </summary>
public static class SubmissionEventStream
{
    public const string EventType = "status";

    public static async Task<Results<ServerSentEventsResult<StatusChangeEvent>, ProblemHttpResult>> Stream(Guid id, Caller caller, HttpContext http, IServiceScopeFactory scopes,
        IOptions<SubmissionEventOptions> options, CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SubmissionsDbContext>();
            if (!await db.VisibleTo(caller).IgnoreAutoIncludes().AnyAsync(s => s.Id == id, cancellationToken))
            {
                return Problems.NotFound("The submission");
            }
        }
        var after = long.TryParse(http.Request.Headers["Last-Event-ID"].ToString(), out var lastEventId) ? lastEventId : 0;
        return TypedResults.ServerSentEvents(Changes(id, after, scopes, options.Value, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<StatusChangeEvent>> Changes(Guid id, long after, IServiceScopeFactory scopes,
        SubmissionEventOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + options.MaxDuration;
        while (!cancellationToken.IsCancellationRequested && DateTime.UtcNow < until)
        {
            List<TimelineEntry> entries;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<SubmissionsDbContext>();
                entries = await db.Set<TimelineEntry>().AsNoTracking()
                    .Where(e => e.SubmissionId == id && e.Id > after).OrderBy(e => e.Id).ToListAsync(cancellationToken);
            }
            foreach (var entry in entries)
            {
                after = entry.Id;
                yield return new SseItem<StatusChangeEvent>(new StatusChangeEvent(id, entry.Status, entry.At, entry.Detail, entry.TraceId), EventType)
                {
                    EventId = entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                if (SubmissionStatus.IsTerminal(entry.Status)) yield break;
            }
            try
            {
                await Task.Delay(options.PollInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}

public sealed record StatusChangeEvent(Guid SubmissionId, string Status, DateTimeOffset At, string Detail, string? TraceId);
