using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Contracts.Submissions;
using Submissions.Api.Data;
using Submissions.Api.Domain;
using Submissions.Api.Telemetry;

namespace Submissions.Api.Jobs;

/// <summary>
/// Finds submissions that have not reached a terminal outcome or awaiting-approval within the SLA (counted from receipt, or from
/// approval once approved), announces each once as <see cref="SubmissionStalled"/> through the outbox, and keeps the count as metrics
/// on the <c>Platform</c> meter: <c>platform.submissions.stalled</c> (reported, a counter) and <c>platform.submissions.stalled.current</c>
/// (unfinished past the SLA at the last scan, a gauge). Replicas may all run it: a submission is marked stalled under optimistic
/// concurrency, so only one of them announces it.
/// </summary>
public sealed class StalledSubmissionWatchdog(IServiceScopeFactory scopes, TimeProvider clock, IOptions<WatchdogOptions> options,
    SubmissionMetrics metrics, ILogger<StalledSubmissionWatchdog> logger) : BackgroundService
{
    private const int BatchSize = 200;
    private static readonly string[] Moving = [SubmissionStatus.Received, SubmissionStatus.Validated, SubmissionStatus.Calculated];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "The stalled-submission watchdog failed; it tries again in {Interval}", options.Value.Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One scan: returns how many submissions it reported stalled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - options.Value.Sla;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SubmissionsDbContext>();
        var late = db.Submissions.IgnoreAutoIncludes().Where(s =>
            (Moving.Contains(s.Status) && s.ReceivedAt < cutoff) || (s.Status == SubmissionStatus.Approved && s.StatusChangedAt < cutoff));

        metrics.SetStalledNow(await late.CountAsync(cancellationToken));

        var reported = 0;
        var due = await late.Where(s => s.StalledAt == null).OrderBy(s => s.ReceivedAt).Take(BatchSize).ToListAsync(cancellationToken);
        foreach (var submission in due)
        {
            if (!submission.MarkStalled(now)) continue;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                reported++;
                metrics.Stalled(submission.ServiceCode, submission.Status);
                logger.LogWarning("Submission {SubmissionId} v{Version} is stalled at {Status} since {ReceivedAt}",
                    submission.Id, submission.Version, submission.Status, submission.ReceivedAt);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another replica reported it, or it moved on meanwhile: either way, not ours to report now.
                foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State != EntityState.Unchanged).ToList())
                {
                    entry.State = EntityState.Detached;
                }
            }
        }
        return reported;
    }
}
