using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payments.Api.Data;
using Payments.Api.Domain;
using Platform.Contracts.Payments;

namespace Payments.Api.Jobs;

/// <summary>
/// Reminds an ICB's commissioners of a payment not decided within its window: publishes <see cref="PaymentAwaitingApproval"/> again
/// with the next <c>ReminderNumber</c> and a new decide-by time. Replicas may all run it; optimistic concurrency lets one win.
/// </summary>
public sealed class ApprovalReminderJob(IServiceScopeFactory scopes, TimeProvider clock, IOptions<ApprovalOptions> options,
    ILogger<ApprovalReminderJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RemindersEnabled) return;
        using var timer = new PeriodicTimer(options.Value.ReminderCheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RemindAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "The approval reminder job failed; it tries again in {Interval}", options.Value.ReminderCheckInterval);
            }
        }
    }

    /// <summary>Sends the reminders due now; returns how many.</summary>
    public async Task<int> RemindAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var overdue = await db.Payments
            .Where(p => p.Status == PaymentStatus.AwaitingApproval && p.DecideBy <= now)
            .OrderBy(p => p.DecideBy).Take(200).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var payment in overdue)
        {
            using var activity = PaymentTrace.Continue(payment, "remind commissioners");
            var number = payment.Remind(now + options.Value.DecisionWindow);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                sent++;
                logger.LogInformation("Reminder {Number} sent for payment {PaymentId} awaiting approval in ICB {Icb}", number, payment.Id, payment.Icb);
            }
            catch (DbUpdateConcurrencyException)
            {
                foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State != EntityState.Unchanged).ToList())
                {
                    entry.State = EntityState.Detached;
                }
            }
        }
        return sent;
    }
}
