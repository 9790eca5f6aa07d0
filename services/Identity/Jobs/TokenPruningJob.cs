using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Identity.Api.Jobs;

/// <summary>
/// Removes OpenIddict tokens and authorizations that expired or were revoked more than two weeks ago, daily, so the
/// token table does not grow without end (OpenIddict's Quartz integration is not used here); and idempotency records past 24 h.
/// </summary>
public sealed class TokenPruningJob(IServiceScopeFactory scopes, TimeProvider time, ILogger<TokenPruningJob> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromDays(1);
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(14);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var threshold = time.GetUtcNow() - KeepFor;
                var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, stoppingToken);
                var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, stoppingToken);
                var replays = await scope.ServiceProvider.GetRequiredService<Data.IdentityDbContext>().IdempotencyRecords
                    .Where(record => record.CreatedAt < time.GetUtcNow() - Apis.Idempotency.Retention)
                    .ExecuteDeleteAsync(stoppingToken);
                logger.LogInformation("Pruned {Tokens} tokens, {Authorizations} authorizations and {Replays} idempotency records", tokens, authorizations, replays);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "Token pruning failed; trying again tomorrow");
            }
        }
    }
}
