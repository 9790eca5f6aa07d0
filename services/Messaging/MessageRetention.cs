using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.Messaging;

/// <summary>Deletes sent outbox rows and inbox rows older than <see cref="MessagingOptions.Retention"/>, hourly. Safe on every replica.</summary>
internal sealed class MessageRetention<TDb>(
    IServiceScopeFactory scopes,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<MessageRetention<TDb>> logger) : BackgroundService
    where TDb : DbContext
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await DeleteExpiredAsync(stoppingToken);
                await Task.Delay(Every, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TDb>();
            var cutoff = time.GetUtcNow() - options.Value.Retention;
            var sent = await db.Set<OutboxMessage>().Where(m => m.SentAt != null && m.SentAt < cutoff).ExecuteDeleteAsync(cancellationToken);
            var received = await db.Set<InboxMessage>().Where(m => m.ReceivedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
            if (sent + received > 0)
            {
                logger.LogInformation("Deleted {Sent} sent outbox rows and {Received} inbox rows older than {Cutoff}", sent, received, cutoff);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Deleting old outbox and inbox rows of {DbContext} failed; trying again later", typeof(TDb).Name);
        }
    }
}
