using MassTransit;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed record StockCounted(int Number);

public sealed class StockCountedConsumer(Deliveries deliveries) : IConsumer<StockCounted>
{
    public Task Consume(ConsumeContext<StockCounted> context)
    {
        deliveries.Record(context);
        return Task.CompletedTask;
    }
}

/// <summary>Counts one host's publishes and slows each a little, so two dispatchers are certain to overlap.</summary>
public sealed class SlowPublishes : IPublishObserver
{
    private int count;

    public int Count => Volatile.Read(ref count);

    public Task PrePublish<T>(PublishContext<T> context)
        where T : class => Task.Delay(10);

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class
    {
        Interlocked.Increment(ref count);
        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}

public sealed class ReplicaTests(MessagingServers servers)
{
    private const int Rows = 100;

    [Fact]
    public async Task Two_dispatchers_on_one_database_publish_each_row_once()
    {
        var shared = await servers.CreateDatabaseAsync("replicas");
        var consumerDatabase = await servers.CreateDatabaseAsync("replicas_consumer");
        await TestDb.CreateSchemaAsync(shared);
        await TestDb.CreateSchemaAsync(consumerDatabase);
        var serviceName = Names.UniqueService("replicas");
        // The rows come from outside both processes, so only sweeps publish them: both replicas sweep continuously here
        // (in production every 5 s, each on its own schedule), so they compete for the same rows.
        var smallBatches = new Dictionary<string, string?>
        {
            ["Messaging:BatchSize"] = "5", ["Messaging:SweepInterval"] = "00:00:00.100", ["Messaging:SweepIntervalWhenIdle"] = "00:00:00.100",
            ["Messaging:SweepAfter"] = "00:00:00",
        };

        await using var consumer = await TestHost.StartAsync(servers, consumerDatabase, $"{serviceName}-consumer", bus => bus.AddConsumer<StockCountedConsumer>());
        var publishes = new[] { new SlowPublishes(), new SlowPublishes() };
        var replicas = await Task.WhenAll(publishes.Select((observer, i) =>
            TestHost.StartAsync(servers, shared, $"{serviceName}-{i}", bus => bus.AddPublishObserver(_ => observer), smallBatches)));
        try
        {
            await using (var db = TestDb.Open(shared))
            {
                for (var n = 0; n < Rows; n++)
                {
                    db.AddOutboxMessage(new StockCounted(n));
                }

                await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            }

            await consumer.Deliveries.WaitForAsync(all => all.Count >= Rows);
            // Time for a second publish of any row to arrive too.
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

            var delivered = consumer.Deliveries.All;
            Assert.Equal(Rows, delivered.Count);
            Assert.Equal(Rows, delivered.Select(d => d.MessageId).Distinct().Count());
            Assert.Equal(Rows, publishes.Sum(p => p.Count));
            Assert.All(publishes, p => Assert.True(p.Count > 0, $"each replica should have published some rows: {publishes[0].Count} + {publishes[1].Count}"));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }
}
