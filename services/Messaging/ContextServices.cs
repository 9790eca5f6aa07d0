using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Platform.Messaging;

/// <summary>Application services reached through a DbContext registered with AddDbContext, with fallbacks for one built by hand.</summary>
internal static class ContextServices
{
    public static TimeProvider Time(DbContext db) => Application(db)?.GetService<TimeProvider>() ?? TimeProvider.System;

    public static ILogger Logger(DbContext db, Type category) =>
        Application(db)?.GetService<ILoggerFactory>()?.CreateLogger(category) ?? NullLogger.Instance;

    private static IServiceProvider? Application(DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;
}
