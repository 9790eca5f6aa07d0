using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Platform.ServiceDefaults;

/// <summary>
/// Lets <c>dotnet ef</c> build a service's model without starting the service: the same provider and snake_case names
/// as <see cref="ServiceDatabaseExtensions.AddServiceDatabase{TDbContext}"/>, on a local database that is only
/// connected to when a command needs one.
/// </summary>
public abstract class DesignTimeDbContextFactory<TDbContext>(string database, Func<DbContextOptions<TDbContext>, TDbContext> create)
    : IDesignTimeDbContextFactory<TDbContext>
    where TDbContext : DbContext
{
    public TDbContext CreateDbContext(string[] args) =>
        create(new DbContextOptionsBuilder<TDbContext>()
            .UseNpgsql($"Host=localhost;Database={database}")
            .UseSnakeCaseNamingConvention()
            .Options);
}
