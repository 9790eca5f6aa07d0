using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed class TallyCountedConsumer(Deliveries deliveries) : IConsumer<TallyCounted>
{
    public Task Consume(ConsumeContext<TallyCounted> context)
    {
        deliveries.Record(context);
        return Task.CompletedTask;
    }
}

public sealed class DomainEventsTests(MessagingServers servers)
{
    [Fact]
    public async Task Events_aggregates_record_are_published_once_in_the_order_recorded_each_in_the_trace_current_when_it_was_recorded()
    {
        var database = await servers.CreateDatabaseAsync("domain_events");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("domain-events"), bus => bus.AddConsumer<TallyCountedConsumer>());
        var traces = new Dictionary<string, ActivityTraceId>();

        await host.InScopeAsync(async db =>
        {
            var apples = new Tally { Name = "apples" };
            var pears = new Tally { Name = "pears" };
            db.Tallies.AddRange(apples, pears);
            // Recorded in another order than the aggregates were tracked, each in its own trace; saved outside all of them.
            traces["pears 3"] = CountInTrace(pears, 3);
            traces["apples 1"] = CountInTrace(apples, 1);
            traces["pears 5"] = CountInTrace(pears, 2);

            await db.SaveChangesAsync();
            Assert.Empty(apples.DomainEvents);
            Assert.Empty(pears.DomainEvents);
            await db.SaveChangesAsync();
        });

        var delivered = await host.Deliveries.WaitForAsync(all => all.Count == 3);
        Assert.All(delivered, d => Assert.Equal(traces[$"{((TallyCounted)d.Message).Name} {((TallyCounted)d.Message).Total}"], d.TraceId));
        await using var check = TestDb.Open(database);
        var rows = await check.Set<OutboxMessage>().OrderBy(m => m.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["pears 3", "apples 1", "pears 5"], rows.Select(Label));
        Assert.Equal(rows.Select(r => traces[Label(r)]), rows.Select(r => ActivityContext.Parse(r.TraceParent!, r.TraceState).TraceId));
    }

    private static ActivityTraceId CountInTrace(Tally tally, int more)
    {
        using var activity = TestTracing.Source.StartActivity($"count {tally.Name}", ActivityKind.Server);
        Assert.NotNull(activity);
        tally.Count(more);
        return activity.TraceId;
    }

    private static string Label(OutboxMessage row)
    {
        var body = JsonDocument.Parse(row.Body).RootElement;
        return $"{body.GetProperty("name").GetString()} {body.GetProperty("total").GetInt32()}";
    }
}
