using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed record InvoicePaid(string Invoice);

public sealed class InvoicePaidConsumer(TestDb db, Deliveries deliveries) : InboxConsumer<InvoicePaid, TestDb>(db)
{
    protected override Task Handle(ConsumeContext<InvoicePaid> context)
    {
        deliveries.Record(context);
        Db.Effects.Add(new Effect { MessageId = context.MessageId!.Value, Label = context.Message.Invoice });
        return Task.CompletedTask;
    }
}

public sealed record GrantAwarded(string Grant);

/// <summary>Fails its first attempt after changing an entity, then succeeds on the retry.</summary>
public sealed class FailsOnceConsumer(TestDb db, Deliveries deliveries) : InboxConsumer<GrantAwarded, TestDb>(db)
{
    protected override async Task Handle(ConsumeContext<GrantAwarded> context)
    {
        deliveries.Record(context);
        Db.Effects.Add(new Effect { MessageId = context.MessageId!.Value, Label = context.Message.Grant });
        await Db.SaveChangesAsync();
        if (deliveries.All.Count == 1)
        {
            throw new TimeoutException("The first attempt times out.");
        }
    }
}

/// <summary>Counts consumes that finished, duplicates included, so a test knows every delivery was processed.</summary>
public sealed class FinishedConsumes : IConsumeObserver
{
    private int count;

    public int Count => Volatile.Read(ref count);

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        Interlocked.Increment(ref count);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}

public sealed class InboxTests(MessagingServers servers)
{
    [Fact]
    public async Task Duplicate_delivery_of_one_message_id_has_one_effect()
    {
        var database = await servers.CreateDatabaseAsync("inbox");
        await TestDb.CreateSchemaAsync(database);
        var finished = new FinishedConsumes();
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("inbox"), bus =>
        {
            bus.AddConsumer<InvoicePaidConsumer>();
            bus.AddConsumeObserver(_ => finished);
        });

        var messageId = NewId.NextGuid();
        var bus = host.Services.GetRequiredService<IBus>();
        for (var i = 0; i < 2; i++)
        {
            await bus.Publish(new InvoicePaid("INV-1"), context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        }

        await Wait.UntilAsync(() => finished.Count >= 2);

        await using var db = TestDb.Open(database);
        var effects = await db.Effects.ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(messageId, Assert.Single(effects).MessageId);
        var inbox = Assert.Single(await db.Set<InboxMessage>().ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal((messageId, typeof(InvoicePaidConsumer).FullName), (inbox.MessageId, inbox.ConsumerName));
    }

    [Fact]
    public async Task The_inbox_row_is_written_in_the_same_round_trip_as_the_effect()
    {
        var database = await servers.CreateDatabaseAsync("inbox_batch");
        await TestDb.CreateSchemaAsync(database);
        var finished = new FinishedConsumes();
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("inbox-batch"), bus =>
        {
            bus.AddConsumer<InvoicePaidConsumer>();
            bus.AddConsumeObserver(_ => finished);
        });
        using var statements = new DatabaseStatements(database);
        var before = statements.Count;

        await host.Services.GetRequiredService<IBus>().Publish(new InvoicePaid("INV-9"), TestContext.Current.CancellationToken);
        await Wait.UntilAsync(() => finished.Count >= 1);

        // Inserts only: the retention job's DELETE FROM inbox_messages can run at any time after start-up.
        var consume = statements.Since(before).Where(text => text.Contains("INSERT INTO inbox_messages", StringComparison.Ordinal) || text.Contains("INSERT INTO effects", StringComparison.Ordinal)).ToList();
        var batch = Assert.Single(consume);
        Assert.Contains("INSERT INTO inbox_messages", batch, StringComparison.Ordinal);
        Assert.Contains("INSERT INTO effects", batch, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Different_message_ids_each_take_effect()
    {
        var database = await servers.CreateDatabaseAsync("inbox_distinct");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("inbox-distinct"), bus => bus.AddConsumer<InvoicePaidConsumer>());

        await host.InScopeAsync(async db =>
        {
            db.AddOutboxMessage(new InvoicePaid("INV-1"));
            db.AddOutboxMessage(new InvoicePaid("INV-2"));
            await db.SaveChangesAsync();
        });

        await host.Deliveries.WaitForAsync(all => all.Count == 2);
        await using var check = TestDb.Open(database);
        await Wait.UntilAsync(() => check.Effects.Count() == 2);
    }

    [Fact]
    public async Task Consumer_that_fails_once_and_then_succeeds_keeps_exactly_one_effect()
    {
        var database = await servers.CreateDatabaseAsync("inbox_retry");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("inbox-retry"), bus => bus.AddConsumer<FailsOnceConsumer>());

        await host.InScopeAsync(async db =>
        {
            db.AddOutboxMessage(new GrantAwarded("G-1"));
            await db.SaveChangesAsync();
        });

        await host.Deliveries.WaitForAsync(all => all.Count == 2);
        await using var check = TestDb.Open(database);
        await Wait.UntilAsync(() => check.Set<InboxMessage>().Any());
        Assert.Equal(["G-1"], await check.Effects.Select(e => e.Label).ToListAsync(TestContext.Current.CancellationToken));
    }
}
