using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.Messaging;

/// <summary>
/// Samples the outbox of <typeparamref name="TDb"/> every few seconds for <see cref="MessagingMetrics"/> (a gauge callback
/// cannot query a database). Plain ADO.NET, so the samples do not fill the log with EF command entries.
/// </summary>
internal sealed class OutboxBacklogMonitor<TDb>(
    IServiceScopeFactory scopes,
    MessagingMetrics metrics,
    MessagingServiceName service,
    ILogger<OutboxBacklogMonitor<TDb>> logger) : BackgroundService
    where TDb : DbContext
{
    internal static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Every);
            do
            {
                try
                {
                    metrics.SampledBacklog(service.Value, await ReadAsync(stoppingToken));
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database is away: the gauges keep the last sample, and readiness reports the outage.
                    logger.LogDebug(e, "Sampling the outbox backlog of {DbContext} failed", typeof(TDb).Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<OutboxBacklog> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDb>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = OutboxSql.For(db).Backlog;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var unsent = Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            var oldest = reader.IsDBNull(1) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(1);
            return new OutboxBacklog(unsent, oldest);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>The service name given to AddPlatformMessaging (the <c>service</c> tag of the messaging metrics).</summary>
internal sealed record MessagingServiceName(string Value);
