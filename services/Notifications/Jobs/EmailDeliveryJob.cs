using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Telemetry;
using Platform.ServiceDefaults;

namespace Notifications.Api.Jobs;

/// <summary>
/// Sends pending emails: leases a batch of due rows (so replicas never send the same row at once),
/// sends each in the trace of the event that caused it, and records every attempt (<c>email_attempts</c>), a batch's together.
/// Two kinds of failure: when the relay is unreachable (or drops the connection) the mail is not at fault, so it waits,
/// with backoff, however long the outage lasts, and all goes out once the relay is back; when the relay refuses one
/// message, that message is retried with backoff until <see cref="DeliveryOptions.MaxAttempts"/>, then marked failed and
/// counted (<c>platform.notifications.failed</c>); an admin can retry it from <c>/api/notifications/admin/failed</c>.
/// </summary>
public sealed class EmailDeliveryJob(IServiceScopeFactory scopes, SmtpMailer mailer, IOptions<DeliveryOptions> options, DeliverySignal signal,
    NotificationMetrics metrics, TimeProvider clock, ILogger<EmailDeliveryJob> logger) : BackgroundService
{
    private static readonly ActivitySource Activities = new("Platform");
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30); // longer than one send may take
    private static readonly TimeSpan RecordRetryMaxDelay = TimeSpan.FromSeconds(5);
    private int relayOutages; // consecutive passes that found the relay down: the wait before the next grows with it
    private readonly RelayConnection relay = new(mailer, options, clock);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var _ = relay;
        while (!stoppingToken.IsCancellationRequested)
        {
            var backlog = false;
            try
            {
                backlog = await DeliverBatchAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                relay.Discard(); // left in whatever state the failure found it
                logger.LogWarning("Email delivery pass failed ({Error}: {Message}); trying again shortly",
                    exception.GetType().Name, Redact.EmailsIn(exception.Message));
            }
            // Only a full batch goes straight on to the next: otherwise the job waits to be woken and gathers again, so mail
            // that trickles in goes out in batches rather than a lease and a record for every email or two.
            if (!backlog)
            {
                relay.CloseIfIdle();
                try
                {
                    if (await signal.WaitAsync(options.Value.PollInterval, stoppingToken))
                    {
                        await Task.Delay(options.Value.GatherFor, stoppingToken);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Leases, sends and records a batch of due mail; true when it was a full batch, all sent, so more may be due.</summary>
    private async Task<bool> DeliverBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var now = clock.GetUtcNow();
        var batch = await LeaseDueAsync(db, now, cancellationToken);
        if (batch.Count == 0) return false;
        // Each save below is one batch of statements (the emails' rows and their attempts), which PostgreSQL runs as one
        // implicit transaction: all or nothing without the BEGIN and COMMIT of an explicit one, a round trip less.
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;

        MailKit.Net.Smtp.SmtpClient connection;
        try
        {
            connection = await relay.OpenAsync(cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            RecordRelayDown(db, batch, exception, now);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogWarning("SMTP relay unreachable; {Count} emails wait for the next attempt: {Message}", batch.Count, Redact.EmailsIn(exception.Message));
            return false;
        }
        relayOutages = 0;

        var attempted = new List<OutgoingEmail>(batch.Count); // sent or refused: recorded together below
        var sends = new List<ActivityLink>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            // A slow relay can outlast the lease; the rest of the batch may be another replica's now.
            if (clock.GetUtcNow() > now + Lease - LeaseMargin) break;
            var email = batch[i];
            using var activity = StartSendActivity(email);
            if (activity is not null) sends.Add(new ActivityLink(activity.Context));
            try
            {
                await mailer.SendAsync(connection, email, cancellationToken);
                relay.Used();
                email.Attempts++;
                email.Status = EmailStatus.Sent;
                email.SentAt = clock.GetUtcNow();
                email.LeasedUntil = null;
                email.LastError = null;
                db.EmailAttempts.Add(new EmailAttempt { EmailId = email.Id, AttemptedAt = email.SentAt.Value, Outcome = AttemptOutcome.Sent });
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && IsRelayFault(exception))
            {
                // The relay went away mid-batch: this one waits like the rest, which go back to the queue untried.
                Redact.RecordError(activity, exception);
                relay.Discard();
                RecordRelayDown(db, [email], exception, clock.GetUtcNow());
                foreach (var untried in batch.Skip(i + 1)) untried.LeasedUntil = null;
                await RecordAsync(db, attempted, sends, cancellationToken);
                logger.LogWarning("SMTP relay connection lost; {Count} emails wait for the next attempt: {Message}", batch.Count - i, Redact.EmailsIn(exception.Message));
                return false;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                Redact.RecordError(activity, exception);
                relay.Used(); // it answered, with a refusal
                RecordFailure(db, email, exception, clock.GetUtcNow());
            }
            attempted.Add(email);
        }

        // Recorded together, in one round trip and one commit for the whole batch: a crash of this service after the sends
        // and before this repeats at most that batch's emails (each keeps its Message-ID, so a relay can spot it).
        await RecordAsync(db, attempted, sends, cancellationToken);
        return attempted.Count == options.Value.BatchSize;
    }

    /// <summary>
    /// Saves the outcomes of a batch's sends (and of a relay that went away), then counts them. The relay may already have
    /// the emails, so a database that went away (restarted, failed over) is waited for: left unrecorded, they would go again
    /// once their lease ran out. The save is one implicit transaction, so a save that reached the database before the
    /// connection dropped is seen by its first email's attempt count and not made twice.
    /// </summary>
    private async Task RecordAsync(NotificationsDbContext db, List<OutgoingEmail> attempted, List<ActivityLink> sends, CancellationToken cancellationToken)
    {
        using var activity = sends.Count > 0 ? Activities.StartActivity("email record", ActivityKind.Internal, default(ActivityContext), links: sends) : null;
        activity?.SetTag("notification.count", attempted.Count);
        var schedule = new RetrySchedule(options.Value.FirstRetryDelay, RecordRetryMaxDelay);
        for (var failures = 0; ; failures++)
        {
            try
            {
                if (failures > 0 && attempted.Count > 0 && await db.Emails.AnyAsync(e => e.Id == attempted[0].Id && e.Attempts == attempted[0].Attempts, cancellationToken))
                {
                    db.ChangeTracker.AcceptAllChanges();
                    break;
                }
                await db.SaveChangesAsync(cancellationToken);
                break;
            }
            catch (Exception exception) when (TransientDatabaseFault.Is(exception) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Recording {Count} emails' attempts failed ({Error}); trying again", attempted.Count, exception.InnerException?.Message ?? exception.Message);
                await Task.Delay(schedule.DelayAfter(failures + 1), cancellationToken);
            }
        }
        foreach (var email in attempted.Where(email => email.Status == EmailStatus.Sent)) metrics.Sent(Channels.Email, email.Kind);
        CountFailures(attempted);
    }

    private async Task<List<OutgoingEmail>> LeaseDueAsync(NotificationsDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Claim and lease in one statement: SKIP LOCKED lets replicas take different rows. Only the column list is
        // written into the text; the values are parameters.
        var claim = $$"""
            UPDATE outgoing_emails SET leased_until = {0}
            WHERE id IN (
                SELECT id FROM outgoing_emails
                WHERE status = {1} AND next_attempt_at <= {2}
                  AND (leased_until IS NULL OR leased_until < {2})
                ORDER BY next_attempt_at
                LIMIT {3}
                FOR UPDATE SKIP LOCKED)
            RETURNING {{MappedColumns.Of<OutgoingEmail>(db)}}
            """;
        var leased = await db.Emails.FromSqlRaw(claim, now + Lease, EmailStatus.Pending, now, options.Value.BatchSize)
            .AsTracking().ToListAsync(cancellationToken);
        return leased;
    }

    private void RecordFailure(NotificationsDbContext db, OutgoingEmail email, Exception exception, DateTimeOffset now)
    {
        email.Attempts++;
        email.LastError = Truncate(exception.Message);
        email.LeasedUntil = null;
        db.EmailAttempts.Add(new EmailAttempt { EmailId = email.Id, AttemptedAt = now, Outcome = AttemptOutcome.Error, Error = email.LastError });
        if (email.Attempts >= options.Value.MaxAttempts)
        {
            email.Status = EmailStatus.Failed;
            email.FailedAt = now;
            logger.LogError("Email {EmailId} ({Kind}) failed after {Attempts} attempts: {Error}", email.Id, email.Kind, email.Attempts, Redact.EmailsIn(email.LastError));
        }
        else
        {
            email.NextAttemptAt = now + new RetrySchedule(options.Value.FirstRetryDelay, options.Value.MaxRetryDelay).DelayAfter(email.Attempts);
        }
    }

    /// <summary>The relay is down: the attempt is recorded, but it does not count towards giving the email up.</summary>
    private void RecordRelayDown(NotificationsDbContext db, IReadOnlyList<OutgoingEmail> emails, Exception exception, DateTimeOffset now)
    {
        relayOutages++;
        var wait = new RetrySchedule(options.Value.FirstRetryDelay, options.Value.MaxRetryDelay).DelayAfter(relayOutages);
        var error = Truncate($"relay unavailable: {exception.Message}");
        foreach (var email in emails)
        {
            email.LastError = error;
            email.LeasedUntil = null;
            email.NextAttemptAt = now + wait;
            db.EmailAttempts.Add(new EmailAttempt { EmailId = email.Id, AttemptedAt = now, Outcome = AttemptOutcome.Error, Error = error });
        }
    }

    /// <summary>Faults of the connection rather than of one message (a refused recipient or a malformed address is the message's).</summary>
    private static bool IsRelayFault(Exception exception) => exception is IOException or System.Net.Sockets.SocketException or TimeoutException
        or MailKit.ServiceNotConnectedException or MailKit.ServiceNotAuthenticatedException or MailKit.Net.Smtp.SmtpProtocolException;

    private static string Truncate(string value) => value.Length > 500 ? value[..500] : value;

    private void CountFailures(IEnumerable<OutgoingEmail> emails)
    {
        foreach (var email in emails.Where(email => email.Status == EmailStatus.Failed)) metrics.Failed(Channels.Email, email.Kind);
    }

    private static Activity? StartSendActivity(OutgoingEmail email)
    {
        ActivityContext.TryParse(email.TraceParent, null, out var parent);
        var activity = Activities.StartActivity($"email send {email.Kind}", ActivityKind.Client, parent);
        activity?.SetTag("notification.kind", email.Kind);
        activity?.SetTag("notification.id", email.Id.ToString());
        activity?.SetTag("notification.channel", Channels.Email);
        activity?.SetTag("notification.attempt", email.Attempts + 1);
        return activity;
    }
}
