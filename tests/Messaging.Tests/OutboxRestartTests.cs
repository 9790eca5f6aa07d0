using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed record ParcelDispatched(int Number);

public sealed class ParcelDispatchedConsumer(Deliveries deliveries) : IConsumer<ParcelDispatched>
{
    public Task Consume(ConsumeContext<ParcelDispatched> context)
    {
        deliveries.Record(context);
        return Task.CompletedTask;
    }
}

public sealed class OutboxRestartTests(MessagingServers servers)
{
    [Fact]
    public async Task Rows_left_unsent_while_no_dispatcher_ran_are_delivered_with_their_original_message_ids_once_one_starts()
    {
        var database = await servers.CreateDatabaseAsync("restart");
        await TestDb.CreateSchemaAsync(database);
        var serviceName = Names.UniqueService("restart");

        // A first run of the service, so its queue exists, then it dies before publishing what it saved.
        await using (await TestHost.StartAsync(servers, database, serviceName, bus => bus.AddConsumer<ParcelDispatchedConsumer>()))
        {
        }

        Guid[] saved;
        await using (var db = TestDb.Open(database))
        {
            saved = [.. Enumerable.Range(1, 5).Select(n => db.AddOutboxMessage(new ParcelDispatched(n)).MessageId)];
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var host = await TestHost.StartAsync(servers, database, serviceName, bus => bus.AddConsumer<ParcelDispatchedConsumer>());

        var delivered = await host.Deliveries.WaitForAsync(all => all.Count >= 5);
        Assert.Equal(saved.Order(), delivered.Select(d => d.MessageId!.Value).Order());
        await WaitUntilAllSentAsync(database);
    }

    private static async Task WaitUntilAllSentAsync(string database)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var db = TestDb.Open(database);
            if (!await db.Set<OutboxMessage>().AnyAsync(m => m.SentAt == null, TestContext.Current.CancellationToken))
            {
                return;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail("Delivered rows were not marked sent.");
    }
}
