using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Platform.ServiceDefaults;

public static class ServiceDatabaseExtensions
{
    public static readonly TimeSpan DatabaseCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Registers the service's own PostgreSQL database: the DbContext (pooled, snake_case names),
    /// a readiness check, and its EF Core migrations applied before the service starts listening.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TDbContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<IServiceProvider, DbContextOptionsBuilder>? configure = null)
        where TDbContext : DbContext
    {
        var connectionString = PooledWithoutReset(builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string '{connectionName}' is missing."));
        // Written back, so code that opens its own connections from configuration shares the same pool settings.
        builder.Configuration[$"ConnectionStrings:{connectionName}"] = connectionString;

        // Pooled: a new context per request resolved EF Core's internal services again each time, about a sixth of the CPU
        // of a one-row GET in Submissions (dotnet-trace). Options are built once, from the root provider: configure must
        // only take singletons from it.
        builder.Services.AddDbContextPool<TDbContext>((services, options) =>
        {
            options.UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure())
                .UseSnakeCaseNamingConvention()
                // A failed command reaches its caller, which handles it (a redelivery's inbox key, an intake race) or lets it
                // fail the request, job pass or delivery, logged there with its context: EF Core's own entries would only
                // repeat it, at Error, for the races the services expect as well.
                .ConfigureWarnings(warnings => warnings.Log(
                    (RelationalEventId.CommandError, LogLevel.Information), (CoreEventId.SaveChangesFailed, LogLevel.Information)));
            configure?.Invoke(services, options);
        });
        builder.Services.AddHealthChecks().AddDbContextCheck<TDbContext>($"{connectionName}", tags: [HealthDefaults.ReadyTag]);
        // The check connects through the retrying execution strategy, which would keep a probe waiting for a minute while
        // the database is down: cut it short, so readiness answers 503 naming the database while the probe still listens.
        builder.Services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var check in options.Registrations.Where(check => check.Name == connectionName)) check.Timeout = DatabaseCheckTimeout;
        });
        builder.Services.AddHostedService<DatabaseMigrator<TDbContext>>();
        return builder;
    }

    /// <summary>
    /// Npgsql resets a pooled connection's session (DISCARD ALL) before its next use, and PostgreSQL counts that as a
    /// transaction: one more commit for every use, the largest share of an idle service's commits. The services keep no
    /// session state to clear (advisory locks are per transaction, or unlocked in a finally), so the reset is switched off.
    /// Statements a connection runs again and again are prepared on the server, so PostgreSQL parses and plans each once
    /// per connection (raw SQL that EF Core reads names its columns: <see cref="MappedColumns"/>).
    /// </summary>
    private static string PooledWithoutReset(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true, MaxAutoPrepare = MaxAutoPreparedStatements }.ConnectionString;

    /// <summary>Per connection; a service runs a few dozen distinct statements on its hot paths.</summary>
    public const int MaxAutoPreparedStatements = 100;
}
