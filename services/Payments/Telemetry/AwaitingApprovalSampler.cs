using Microsoft.EntityFrameworkCore;
using Payments.Api.Data;
using Payments.Api.Domain;

namespace Payments.Api.Telemetry;

/// <summary>Counts the payments awaiting approval per ICB every few seconds for <see cref="PaymentMetrics"/> (a gauge callback cannot query).</summary>
public sealed class AwaitingApprovalSampler(IServiceScopeFactory scopes, PaymentMetrics metrics, ILogger<AwaitingApprovalSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Every);
            do
            {
                try
                {
                    await SampleAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogDebug(exception, "Counting the payments awaiting approval failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var byIcb = await db.Payments.AsNoTracking().Where(p => p.Status == PaymentStatus.AwaitingApproval)
            .GroupBy(p => p.Icb ?? "unknown").Select(g => new { Icb = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Icb, g => g.Count, cancellationToken);
        metrics.SampledAwaiting(byIcb);
    }
}
