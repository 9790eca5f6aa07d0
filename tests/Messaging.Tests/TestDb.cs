using Microsoft.EntityFrameworkCore;
using Platform.Messaging;

namespace Messaging.Tests;

/// <summary>A service's DbContext in miniature: one entity that consumers change, plus the outbox and inbox.</summary>
public sealed class TestDb(DbContextOptions<TestDb> options) : DbContext(options)
{
    public DbSet<Effect> Effects => Set<Effect>();

    public DbSet<Tally> Tallies => Set<Tally>();

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
            // One effect per message, as a service's own keys are (Notifications' notices and emails per source message): a
            // redelivery's repeated effect meets this key in the same batch as the inbox row's, and before it.
            effect.HasIndex(e => e.MessageId).IsUnique().HasFilter("message_id <> '00000000-0000-0000-0000-000000000000'");
        });
        modelBuilder.Entity<Tally>(tally =>
        {
            tally.ToTable("tallies");
            tally.HasKey(t => t.Id);
            tally.Property(t => t.Id).HasColumnName("id");
            tally.Property(t => t.Name).HasColumnName("name");
            tally.Property(t => t.Total).HasColumnName("total");
            tally.Ignore(t => t.DomainEvents);
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

public sealed record TallyCounted(string Name, int Total);

/// <summary>An aggregate in miniature: each change records its event instead of adding it to the outbox itself.</summary>
public sealed class Tally : IHasDomainEvents
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public int Total { get; private set; }

    public DomainEvents DomainEvents { get; } = new();

    public void Count(int more)
    {
        Total += more;
        DomainEvents.Record(new TallyCounted(Name, Total));
    }
}
