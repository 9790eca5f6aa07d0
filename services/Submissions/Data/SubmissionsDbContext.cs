using Microsoft.EntityFrameworkCore;
using Platform.Messaging;
using Submissions.Api.Domain;

namespace Submissions.Api.Data;

public sealed class SubmissionsDbContext(DbContextOptions<SubmissionsDbContext> options) : DbContext(options)
{
    public DbSet<Submission> Submissions => Set<Submission>();
    public DbSet<Practice> Practices => Set<Practice>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SubmissionsDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
