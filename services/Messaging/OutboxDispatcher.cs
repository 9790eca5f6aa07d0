using System.Diagnostics;
using MassTransit;
using MassTransit.Logging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.Messaging;

/// <summary>
/// Publishes committed outbox rows of <typeparamref name="TDb"/>. The rows a transaction of this process commits are handed
/// over at once (<see cref="CommittedOutboxRows"/>): published from memory, all that are waiting together. Rows published are
/// marked sent together, within <see cref="MarkSentWithin"/> (one statement a second under load, not one per transaction): a
/// crash before the marking only publishes them again, which every consumer's inbox absorbs, as after any crash. A sweep every <see cref="MessagingOptions.SweepInterval"/> (less often while idle, up to <see cref="MessagingOptions.SweepIntervalWhenIdle"/>) takes what was not handed over (rows a crash left,
/// rows another process committed, failed publishes after their backoff), claimed with FOR UPDATE SKIP LOCKED so replicas
/// share them; it leaves never-tried rows younger than <see cref="MessagingOptions.SweepAfter"/> to the process publishing them.
/// Row timestamps come from the injected <see cref="TimeProvider"/>; waits use real time, so a test's fake clock cannot stall it.
/// </summary>
internal sealed class OutboxDispatcher<TDb>(
    IServiceScopeFactory scopes,
    IBusControl bus,
    CommittedOutboxRows handedOver,
    MessagingMetrics metrics,
    MessagingServiceName service,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher<TDb>> logger) : BackgroundService
    where TDb : DbContext
{
    private static readonly TimeSpan BusStartWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FirstErrorDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxErrorDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MarkSentWithin = TimeSpan.FromSeconds(1);
    private const int MaxErrorLength = 2000;

    private readonly MessagingOptions settings = options.Value;
    // Published rows not yet marked, with when the broker confirmed each: sent_at records the publish, not the marking.
    private readonly List<(long Id, DateTimeOffset ConfirmedAt)> publishedNotMarked = [];
    // Rows older than this were left by an earlier process and are swept at once. Taken when the host builds its services,
    // before any of them can commit: a row committed while the bus starts is in the hand-over and must not be swept too.
    private readonly DateTimeOffset processStartedAt = time.GetUtcNow();
    private readonly Stopwatch sinceFirstNotMarked = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WaitForBusAsync(stoppingToken);
            var sinceSweep = Stopwatch.StartNew();
            var sweepNow = true; // rows a crash left go out at start-up
            var sweepEvery = settings.SweepInterval;
            var committedSinceSweep = false;
            var consecutiveErrors = 0;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (sweepNow || sinceSweep.Elapsed >= sweepEvery)
                    {
                        await MarkSentAsync(); // so the sweep does not take rows already published
                        var claimed = await SweepAsync(stoppingToken);
                        sweepEvery = claimed > 0 || committedSinceSweep ? settings.SweepInterval : Longer(sweepEvery);
                        committedSinceSweep = false;
                        sinceSweep.Restart();
                        sweepNow = false;
                    }

                    var committed = await handedOver.TakeAsync(typeof(TDb), settings.BatchSize, NextWait(sinceSweep, sweepEvery), stoppingToken);
                    if (committed.Count > 0)
                    {
                        committedSinceSweep = true;
                        await PublishCommittedAsync(committed, stoppingToken);
                    }

                    if (publishedNotMarked.Count >= settings.BatchSize || (publishedNotMarked.Count > 0 && sinceFirstNotMarked.Elapsed >= MarkSentWithin))
                    {
                        await MarkSentAsync();
                    }

                    consecutiveErrors = 0;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database is unreachable: what was not marked sent is published again by a later sweep.
                    consecutiveErrors++;
                    sweepNow = true;
                    logger.LogWarning(e, "Outbox dispatch for {DbContext} failed; retrying", typeof(TDb).Name);
                    await Task.Delay(ErrorDelay(consecutiveErrors), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: rows not yet published stay unsent and go out from the next dispatcher to run.
        }

        try
        {
            await MarkSentAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Outbox rows of {DbContext} published but not marked sent at shutdown; they are published again", typeof(TDb).Name);
        }
    }

    /// <summary>Until the next sweep is due, or the published rows are to be marked sent, whichever is first.</summary>
    private TimeSpan NextWait(Stopwatch sinceSweep, TimeSpan sweepEvery)
    {
        var wait = sweepEvery - sinceSweep.Elapsed;
        if (publishedNotMarked.Count > 0 && MarkSentWithin - sinceFirstNotMarked.Elapsed < wait) wait = MarkSentWithin - sinceFirstNotMarked.Elapsed;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private async Task MarkSentAsync()
    {
        if (publishedNotMarked.Count == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        // Not cancellable: what was published must be recorded, even while shutting down, or it is published again.
        await db.Database.ExecuteSqlRawAsync(OutboxSql.For(db).MarkSent,
            [publishedNotMarked.Select(row => row.Id).ToArray(), publishedNotMarked.Select(row => row.ConfirmedAt).ToArray()], CancellationToken.None);
        publishedNotMarked.Clear();
        sinceFirstNotMarked.Reset();
    }

    private async Task PublishCommittedAsync(IReadOnlyList<OutboxMessage> rows, CancellationToken stoppingToken)
    {
        var outcomes = await Task.WhenAll(rows.Select(row => TryPublishAsync(row, stoppingToken)));
        if (publishedNotMarked.Count == 0) sinceFirstNotMarked.Restart();
        var confirmedAt = time.GetUtcNow();
        publishedNotMarked.AddRange(rows.Where((_, i) => outcomes[i].Published).Select(row => (row.Id, confirmedAt)));
        if (outcomes.All(outcome => outcome.Error is null)) return;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var sql = OutboxSql.For(db);
        var now = time.GetUtcNow();
        for (var i = 0; i < rows.Count; i++)
        {
            if (outcomes[i].Error is { } error)
            {
                await db.Database.ExecuteSqlRawAsync(sql.MarkFailed, [rows[i].Id, Truncate(error), now + Backoff(rows[i].Attempts + 1)], CancellationToken.None);
            }
        }
    }

    /// <summary>Publishes the rows due, a batch at a time; returns how many were claimed.</summary>
    private async Task<int> SweepAsync(CancellationToken stoppingToken)
    {
        BatchResult result;
        var claimed = 0;
        do
        {
            var now = time.GetUtcNow();
            var cutoff = now - settings.SweepAfter;
            result = await DispatchBatchAsync(now, cutoff > processStartedAt ? cutoff : processStartedAt, stoppingToken);
            claimed += result.Claimed;
        }
        while (result.Claimed == settings.BatchSize && !result.PublishFailed && !stoppingToken.IsCancellationRequested);
        return claimed;
    }

    /// <summary>The next wait while idle: twice this one, at most <see cref="MessagingOptions.SweepIntervalWhenIdle"/> (never below the interval).</summary>
    private TimeSpan Longer(TimeSpan sweepEvery)
    {
        var longest = settings.SweepIntervalWhenIdle > settings.SweepInterval ? settings.SweepIntervalWhenIdle : settings.SweepInterval;
        return sweepEvery * 2 < longest ? sweepEvery * 2 : longest;
    }

    // Receive endpoints in this host bind their queues while the bus starts; publishing before that could miss them.
    private async Task WaitForBusAsync(CancellationToken stoppingToken)
    {
        var waited = Stopwatch.StartNew();
        while (bus.CheckHealth().Status != BusHealthStatus.Healthy && waited.Elapsed < BusStartWait)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken);
        }
    }

    private async Task<BatchResult> DispatchBatchAsync(DateTimeOffset now, DateTimeOffset cutoff, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        var sql = OutboxSql.For(db);
        if (!await LookAsync(db, sql, now, cutoff, stoppingToken))
        {
            return new BatchResult(0, PublishFailed: false);
        }

        return await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async cancellationToken =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var rows = await db.Set<OutboxMessage>()
                    .FromSqlRaw(sql.ClaimBatch, now, cutoff, settings.BatchSize)
                    .ToListAsync(cancellationToken);

                // The whole batch is published at once: the broker confirms the publishes together, so a batch costs about one
                // confirm round trip instead of one per row (rows were never delivered in order: consumers run concurrently).
                var outcomes = await Task.WhenAll(rows.Select(row => TryPublishAsync(row, cancellationToken)));
                var failed = false;
                for (var i = 0; i < rows.Count; i++)
                {
                    var (row, outcome) = (rows[i], outcomes[i]);
                    if (outcome.Published)
                    {
                        row.SentAt = time.GetUtcNow();
                    }
                    else if (outcome.Error is { } error)
                    {
                        row.Attempts++;
                        row.LastError = Truncate(error);
                        row.NextAttemptAt = time.GetUtcNow() + Backoff(row.Attempts);
                        failed = true;
                    }

                    // Neither (we are stopping): the row stays due for the next dispatcher to run.
                }

                // Not cancellable: what was published must be recorded, even while shutting down, or it is published again.
                await db.SaveChangesAsync(CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
                return new BatchResult(rows.Count, failed);
            },
            stoppingToken);
    }

    /// <summary>Whether rows are due, sampling the backlog for <see cref="MessagingMetrics"/> in the same statement.</summary>
    private async Task<bool> LookAsync(TDb db, OutboxSql sql, DateTimeOffset now, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql.Look;
            foreach (var (name, value) in new[] { ("now", now), ("cutoff", cutoff) })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var due = reader.GetInt64(0);
            var oldest = reader.IsDBNull(2) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(2);
            metrics.SampledBacklog(service.Value, new OutboxBacklog((int)reader.GetInt64(1), oldest));
            return due > 0;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<PublishOutcome> TryPublishAsync(OutboxMessage row, CancellationToken stoppingToken)
    {
        var type = MessageTypeNames.Resolve(row.MessageType);
        if (type is null)
        {
            logger.LogError("Outbox row {OutboxId}: message type {MessageType} cannot be resolved; it stays unsent", row.Id, row.MessageType);
            return PublishOutcome.Failed($"Message type {row.MessageType} cannot be resolved.");
        }

        object message;
        try
        {
            message = row.Message ?? OutboxJson.Deserialize(row.Body, type);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Outbox row {OutboxId}: its {MessageType} body cannot be read; it stays unsent", row.Id, type.Name);
            return PublishOutcome.Failed($"{e.GetType().Name}: {e.Message}");
        }

        using var activity = MessagingDiagnostics.StartDispatchActivity(row, type, message);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(settings.PublishTimeout);
        try
        {
            var activityId = activity?.Id ?? row.TraceParent;
            await bus.Publish(
                message,
                type,
                context =>
                {
                    context.MessageId = row.MessageId;
                    // Read by InboxConsumer when MassTransit's own activities are not recorded; MassTransit replaces it when they are.
                    if (activityId is not null)
                    {
                        context.Headers.Set(DiagnosticHeaders.ActivityId, activityId);
                    }
                },
                timeout.Token);
            return PublishOutcome.Sent;
        }
        catch (Exception e) when (stoppingToken.IsCancellationRequested)
        {
            activity.RecordFailure(e);
            return PublishOutcome.Abandoned;
        }
        catch (Exception e)
        {
            activity.RecordFailure(e);
            logger.LogWarning(
                e, "Publishing outbox row {OutboxId} ({MessageType} {MessageId}) failed after {Attempts} earlier attempts; it will be retried",
                row.Id, type.Name, row.MessageId, row.Attempts);
            return PublishOutcome.Failed(e is OperationCanceledException
                ? $"Publish timed out after {settings.PublishTimeout}."
                : $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(attempts - 1, 20)), MaxBackoff.TotalSeconds));

    private static TimeSpan ErrorDelay(int consecutiveErrors) =>
        TimeSpan.FromTicks(Math.Min(FirstErrorDelay.Ticks << Math.Min(consecutiveErrors, 10), MaxErrorDelay.Ticks));

    private static string Truncate(string error) => error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;

    private readonly record struct BatchResult(int Claimed, bool PublishFailed);

    /// <summary>Published, failed with a reason, or abandoned because the host is stopping (neither sent nor a failed attempt).</summary>
    private readonly record struct PublishOutcome(bool Published, string? Error)
    {
        public static PublishOutcome Sent => new(true, null);

        public static PublishOutcome Abandoned => new(false, null);

        public static PublishOutcome Failed(string error) => new(false, error);
    }
}
