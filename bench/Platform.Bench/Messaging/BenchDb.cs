using Platform.Messaging;

namespace Platform.Bench.Messaging;

/// <summary>A service's database in miniature: the state a producer changes, the effect a consumer writes, the outbox and inbox.</summary>
public sealed class BenchDb(DbContextOptions<BenchDb> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    public DbSet<Effect> Effects => Set<Effect>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Order>(order =>
        {
            order.ToTable("orders");
            order.HasKey(o => o.Id);
        });
        modelBuilder.Entity<Effect>(effect =>
        {
            effect.ToTable("effects");
            effect.HasKey(e => e.Id);
        });
        modelBuilder.AddOutboxAndInbox();
    }
}

/// <summary>The producer's state change, saved with its event.</summary>
public sealed class Order
{
    public Guid Id { get; set; }

    public int Index { get; set; }

    public DateTimeOffset PlacedAt { get; set; }
}

/// <summary>What the consumer does, in the same transaction as its inbox row.</summary>
public sealed class Effect
{
    public long Id { get; set; }

    public int Index { get; set; }
}

/// <summary>The event of every variant: its index in the run, so the receiver can say which scheduled send it was.</summary>
public sealed record BenchEvent(int Run, int Index);

/// <summary>The same event for the plain MassTransit variant (its own exchange and queue).</summary>
public sealed record PlainBenchEvent(int Run, int Index);
