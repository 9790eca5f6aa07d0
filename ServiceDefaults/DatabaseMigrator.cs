using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.ServiceDefaults;

/// <summary>
/// Applies pending migrations at start-up, before the web server listens. Replicas starting
/// together serialise on a PostgreSQL advisory lock, so only one applies each migration.
/// </summary>
public sealed class DatabaseMigrator<TDbContext>(IServiceProvider services, ILogger<DatabaseMigrator<TDbContext>> logger)
    : IHostedService where TDbContext : DbContext
{
    // Any constant works: it only has to be the same for every replica of the service.
    private const long MigrationLockKey = 0x504C4154464F524D; // "PLATFORM"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using (await new PostgresReplicaLock(db.Database.GetConnectionString()!, MigrationLockKey, logger).TakeAsync(cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        logger.LogInformation("Database for {DbContext} is migrated ({Elapsed} ms)",
            typeof(TDbContext).Name, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
