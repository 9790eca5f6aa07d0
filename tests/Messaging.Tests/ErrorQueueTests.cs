using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed record RefundRequested(string Refund);

public sealed class AlwaysFailingConsumer(TestDb db, Deliveries deliveries) : InboxConsumer<RefundRequested, TestDb>(db)
{
    protected override async Task Handle(ConsumeContext<RefundRequested> context)
    {
        deliveries.Record(context);
        Db.Effects.Add(new Effect { MessageId = context.MessageId!.Value, Label = "must be rolled back" });
        await Db.SaveChangesAsync();
        throw new InvalidOperationException("The refund service is broken.");
    }
}

public sealed class ErrorQueueTests(MessagingServers servers)
{
    [Fact]
    public async Task Message_whose_consumer_always_throws_ends_in_the_error_queue_after_the_retries_with_nothing_kept()
    {
        var database = await servers.CreateDatabaseAsync("errors");
        await TestDb.CreateSchemaAsync(database);
        var serviceName = Names.UniqueService("errors");
        await using var host = await TestHost.StartAsync(servers, database, serviceName, bus => bus.AddConsumer<AlwaysFailingConsumer>());
        using var metrics = new MetricRecorder(host.Services);

        await host.InScopeAsync(async db =>
        {
            db.AddOutboxMessage(new RefundRequested("R-1"));
            await db.SaveChangesAsync();
        });

        // Endpoint names are "{service}-{consumer without the Consumer suffix}" in kebab case.
        var errorQueue = $"{serviceName}-always-failing_error";
        await WaitForQueueDepthAsync(errorQueue, 1);

        // One delivery plus the three retries TestHost configures.
        Assert.Equal(4, host.Deliveries.All.Count);
        Assert.Single(host.Deliveries.All.Select(d => d.MessageId).Distinct());
        await using var db = TestDb.Open(database);
        Assert.Empty(await db.Effects.ToListAsync(TestContext.Current.CancellationToken));
        Assert.Empty(await db.Set<InboxMessage>().ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, QueueDepths(await servers.RabbitMq.CtlAsync("list_queues", "--quiet", "--no-table-headers", "name", "messages"))[$"{serviceName}-always-failing"]);

        // An SRE sees it on the metrics: three retries, then one dead letter, for that queue and message type.
        (string, string)[] tags = [("service", serviceName), ("queue", $"{serviceName}-always-failing"), ("message_type", nameof(RefundRequested))];
        Assert.Equal(3, metrics.Sum(MessagingMetrics.RetriesName, tags));
        Assert.Equal(1, metrics.Sum(MessagingMetrics.DeadLettersName, tags));
    }

    private async Task WaitForQueueDepthAsync(string queue, int depth)
    {
        var depths = new Dictionary<string, int>();
        for (var i = 0; i < 30; i++)
        {
            depths = QueueDepths(await servers.RabbitMq.CtlAsync("list_queues", "--quiet", "--no-table-headers", "name", "messages"));
            if (depths.GetValueOrDefault(queue) == depth)
            {
                return;
            }

            await Task.Delay(300, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"{queue} never held {depth} message(s); queues: {string.Join(", ", depths.Select(d => $"{d.Key}={d.Value}"))}");
    }

    private static Dictionary<string, int> QueueDepths(string listQueuesOutput) =>
        listQueuesOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length == 2 && int.TryParse(fields[1], out _))
            .ToDictionary(fields => fields[0], fields => int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
}
