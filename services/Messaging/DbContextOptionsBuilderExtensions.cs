using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Messaging;

public static class DbContextOptionsBuilderExtensions
{
    /// <summary>
    /// Adds the interceptor that moves aggregates' recorded events (<see cref="IHasDomainEvents"/>) into the outbox as SaveChanges
    /// starts and wakes the outbox dispatcher right after a commit that saved outbox rows.
    /// Without AddPlatformMessaging (e.g. a design-time context for migrations) it adds nothing; the dispatcher's poll is the fallback.
    /// </summary>
    public static DbContextOptionsBuilder UsePlatformOutbox(this DbContextOptionsBuilder options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        if (services.GetService<OutboxCommitInterceptor>() is { } interceptor)
        {
            options.AddInterceptors(interceptor);
        }

        return options;
    }
}
