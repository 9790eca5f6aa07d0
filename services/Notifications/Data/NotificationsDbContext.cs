using Microsoft.EntityFrameworkCore;
using Notifications.Api.Domain;
using Platform.Messaging;

namespace Notifications.Api.Data;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<OutgoingEmail> Emails => Set<OutgoingEmail>();
    public DbSet<EmailAttempt> EmailAttempts => Set<EmailAttempt>();
    /// <summary>The recipient directory, fed only by Identity's events.</summary>
    public DbSet<Person> People => Set<Person>();
    public DbSet<DirectoryPractice> Practices => Set<DirectoryPractice>();
    public DbSet<Submitter> Submitters => Set<Submitter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NotificationsDbContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
    }
}
