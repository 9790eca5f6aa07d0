using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed record RowsImported(string Batch, int Rows);

/// <summary>A consumer whose reads need no transaction: it writes <see cref="RowsImported.Rows"/> effects, the first keyed by the message.</summary>
public sealed class RowsImportedConsumer(TestDb db, Deliveries deliveries) : InboxConsumer<RowsImported, TestDb>(db)
{
    protected override bool ReadsInTransaction => false;

    protected override async Task Handle(ConsumeContext<RowsImported> context)
    {
        deliveries.Record(context);
        await Db.Effects.CountAsync(); // a read of its own, outside any transaction
        Db.Effects.Add(new Effect { MessageId = context.MessageId!.Value, Label = context.Message.Batch });
        for (var i = 1; i < context.Message.Rows; i++) Db.Effects.Add(new Effect { Label = context.Message.Batch });
    }
}

/// <summary>
/// The inbox row and the effect saved as one batch, one implicit transaction: a redelivery still has no effect. An effect
/// larger than EF Core sends in one batch (which would be split, each part committing on its own) goes in an explicit
/// transaction instead, and is saved whole once.
/// </summary>
public sealed class ImplicitTransactionInboxTests(MessagingServers servers)
{
    [Theory]
    [InlineData(3)] // one batch
    [InlineData(1100)] // more statements than EF Core sends in one batch (1,000)
    public async Task A_message_delivered_twice_takes_effect_once_whole(int rows)
    {
        var database = await servers.CreateDatabaseAsync($"implicit_{rows}");
        await TestDb.CreateSchemaAsync(database);
        var finished = new FinishedConsumes();
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService($"implicit-{rows}"), bus =>
        {
            bus.AddConsumer<RowsImportedConsumer>();
            bus.AddConsumeObserver(_ => finished);
        });
        using var statements = new DatabaseStatements(database);

        var messageId = NewId.NextGuid();
        var batch = $"batch {messageId:N}";
        var bus = host.Services.GetRequiredService<IBus>();
        for (var i = 0; i < 2; i++)
        {
            await bus.Publish(new RowsImported(batch, rows), context => context.MessageId = messageId, TestContext.Current.CancellationToken);
        }

        await Wait.UntilAsync(() => finished.Count >= 2);

        await using var db = TestDb.Open(database);
        Assert.Equal(rows, await db.Effects.CountAsync(effect => effect.Label == batch, TestContext.Current.CancellationToken));
        Assert.Single(await db.Set<InboxMessage>().Where(row => row.MessageId == messageId).ToListAsync(TestContext.Current.CancellationToken));
        var saves = statements.All.Where(text => text.Contains("INSERT INTO inbox_messages", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(saves);
        if (rows < 100)
        {
            // The inbox row and every effect in one round trip.
            Assert.All(saves, save => Assert.Contains("INSERT INTO effects", save, StringComparison.Ordinal));
        }
    }
}
