using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed record LedgerChanged(string Label);

public sealed class LedgerChangedConsumer(Deliveries deliveries) : IConsumer<LedgerChanged>
{
    public Task Consume(ConsumeContext<LedgerChanged> context)
    {
        deliveries.Record(context);
        return Task.CompletedTask;
    }
}

public sealed class OutboxTransactionTests(MessagingServers servers)
{
    [Fact]
    public async Task Rolled_back_transaction_publishes_nothing_while_a_committed_one_is_delivered()
    {
        var database = await servers.CreateDatabaseAsync("rollback");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("rollback"), bus => bus.AddConsumer<LedgerChangedConsumer>());

        await host.InScopeAsync(db => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Effects.Add(new Effect { Label = "rolled back" });
            db.AddOutboxMessage(new LedgerChanged("rolled back"));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }));
        await host.InScopeAsync(async db =>
        {
            db.Effects.Add(new Effect { Label = "committed" });
            db.AddOutboxMessage(new LedgerChanged("committed"));
            await db.SaveChangesAsync();
        });

        await host.Deliveries.WaitForAsync(all => all.Any(d => d.Message is LedgerChanged { Label: "committed" }));
        // The rolled-back row was written first; give the dispatcher several more rounds to (wrongly) find it.
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);

        Assert.Equal(["committed"], host.Deliveries.All.Select(d => ((LedgerChanged)d.Message).Label));
        await using var check = TestDb.Open(database);
        Assert.Equal(1, await check.Set<OutboxMessage>().CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Message_added_inside_an_explicit_transaction_is_delivered_after_commit()
    {
        var database = await servers.CreateDatabaseAsync("explicit");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("explicit"), bus => bus.AddConsumer<LedgerChangedConsumer>());

        await host.InScopeAsync(db => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.AddOutboxMessage(new LedgerChanged("first"));
            await db.SaveChangesAsync();
            db.AddOutboxMessage(new LedgerChanged("second"));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }));

        var delivered = await host.Deliveries.WaitForAsync(all => all.Count == 2);
        Assert.Equal(["first", "second"], delivered.Select(d => ((LedgerChanged)d.Message).Label).Order());
    }
}
