using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed record ShiftStarted(string Shift);

public sealed class ShiftStartedConsumer(Deliveries deliveries) : IConsumer<ShiftStarted>
{
    public Task Consume(ConsumeContext<ShiftStarted> context)
    {
        deliveries.Record(context);
        return Task.CompletedTask;
    }
}

public sealed class DatabaseOutageTests(MessagingServers servers)
{
    [Fact]
    public async Task Dispatcher_keeps_going_after_its_database_restarts()
    {
        // Its own PostgreSQL: the shared one serves the tests running beside this one.
        await using var postgres = await PostgresServer.StartAsync("shifts");
        var database = postgres.ConnectionString("shifts");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("db-outage"), bus => bus.AddConsumer<ShiftStartedConsumer>());

        await postgres.StopAsync();
        // Let the dispatcher fail a few polls against the stopped server.
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        await postgres.StartAgainAsync();
        NpgsqlConnection.ClearAllPools();

        Guid messageId = default;
        await host.InScopeAsync(db => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            messageId = db.AddOutboxMessage(new ShiftStarted("early")).MessageId;
            await db.SaveChangesAsync();
        }));

        var delivered = await host.Deliveries.WaitForAsync(all => all.Count == 1);
        Assert.Equal(messageId, delivered[0].MessageId);
    }
}
