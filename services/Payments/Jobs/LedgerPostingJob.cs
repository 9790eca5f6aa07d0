using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Api.Application;
using Payments.Api.Data;
using Payments.Api.Domain;
using Payments.Api.Telemetry;
using Platform.Contracts.Payments;
using Platform.ServiceDefaults;

namespace Payments.Api.Jobs;

/// <summary>
/// Posts due payments (approved, needing no approval, or failed with an admin's retry) to the ledger, one per transaction:
/// the row is claimed with <c>FOR UPDATE SKIP LOCKED</c> so replicas share the work without posting anything twice, and the
/// ledger entry, the move to paid and <see cref="PaymentSettled"/> commit together. A failed attempt is retried with a doubling
/// delay; after <see cref="LedgerOptions.MaxAttempts"/> the payment ends payment-failed with the reason and <see cref="PaymentFailed"/>.
/// </summary>
public sealed class LedgerPostingJob(IServiceScopeFactory scopes, ILedger ledger, PostingSignal signal, TimeProvider clock,
    IOptions<LedgerOptions> options, PaymentMetrics metrics, ILogger<LedgerPostingJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PostNextAsync(stoppingToken)) { }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "The ledger posting job failed; it tries again shortly");
            }
            try
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Posts every payment due now; returns how many were posted or failed for good.</summary>
    public async Task<int> PostDueAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        while (await PostNextAsync(cancellationToken)) count++;
        return count;
    }

    /// <summary>Claims and posts one due payment; false when none is due.</summary>
    private async Task<bool> PostNextAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var now = clock.GetUtcNow();
        string? failure = null;
        Guid? claimed = null;
        var strategy = db.Database.CreateExecutionStrategy();
        var posted = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            failure = null;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var payment = await db.Payments.DueForPosting(now).TagWith(SkipLocked.Tag).FirstOrDefaultAsync(ct);
            if (payment is null) return false;
            claimed = payment.Id;
            using var activity = PaymentTrace.Continue(payment, "post payment to ledger");
            try
            {
                var reference = RemittanceReference.For(payment.PracticeOds, payment.Id);
                await ledger.PostAsync(db, payment, reference, now, ct);
                payment.MarkPaid(reference, now);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(CancellationToken.None);
                metrics.Settled(payment.ServiceCode, payment.Amount);
                logger.LogInformation("Payment {PaymentId} of £{Amount} posted with reference {Reference}", payment.Id, payment.Amount, reference);
                return true;
            }
            catch (Exception exception) when (exception is not OperationCanceledException && !TransientDatabaseFault.Is(exception))
            {
                failure = Describe(exception);
                return true;
            }
        }, cancellationToken);

        if (failure is not null && claimed is not null)
        {
            await RecordFailureAsync(db, claimed.Value, failure, now, cancellationToken);
        }
        return posted;
    }

    private async Task RecordFailureAsync(PaymentsDbContext db, Guid paymentId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var payment = await db.Payments.FirstAsync(p => p.Id == paymentId, cancellationToken);
        using var activity = PaymentTrace.Continue(payment, "post payment to ledger failed");
        var attempts = payment.PostingAttempts + 1;
        var givingUp = attempts >= options.Value.MaxAttempts;
        payment.PostingFailed(reason, givingUp ? null : now + options.Value.RetryDelay(attempts), now);
        if (givingUp)
        {
            logger.LogError("Payment {PaymentId} could not be posted after {Attempts} attempts: {Reason}", payment.Id, attempts, reason);
        }
        else
        {
            logger.LogWarning("Posting payment {PaymentId} failed (attempt {Attempts} of {Max}): {Reason}", payment.Id, attempts, options.Value.MaxAttempts, reason);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            if (givingUp) metrics.Failed(payment.ServiceCode);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else moved it meanwhile (another replica posted it): nothing to record.
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres } =>
            $"the ledger already holds an entry for this payment, submission version or period ({postgres.ConstraintName})",
        _ => exception.Message.Length > 500 ? exception.Message[..500] : exception.Message,
    };
}
