using Microsoft.EntityFrameworkCore;
using Platform.Messaging;

namespace Messaging.Tests;

/// <summary>A service's DbContext in miniature: one entity that consumers change, plus the outbox and inbox.</summary>
public sealed class TestDb(DbContextOptions<TestDb> options) : DbContext(options)
{
    public DbSet<Effect> Effects => Set<Effect>();

    public static TestDb Open(string connectionString) =>
        new(new DbContextOptionsBuilder<TestDb>().UseNpgsql(connectionString).Options);

    public static async Task CreateSchemaAsync(string connectionString)
    {
        await using var db = Open(connectionString);
        await db.Database.EnsureCreatedAsync(TestContext.Current.CancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Effect>(effect =>
        {
            effect.ToTable("effects");
            effect.HasKey(e => e.Id);
            effect.Property(e => e.Id).HasColumnName("id");
            effect.Property(e => e.MessageId).HasColumnName("message_id");
            effect.Property(e => e.Label).HasColumnName("label");
        });
        modelBuilder.AddOutboxAndInbox();
    }
}

/// <summary>A row a consumer writes, so a test can count how many times a message took effect.</summary>
public sealed class Effect
{
    public long Id { get; set; }

    public Guid MessageId { get; set; }

    public string Label { get; set; } = "";
}
