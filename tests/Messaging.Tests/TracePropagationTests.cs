using System.Diagnostics;
using MassTransit;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed record ClaimSubmitted(string Claim);

public sealed class ClaimSubmittedConsumer(TestDb db, Deliveries deliveries) : InboxConsumer<ClaimSubmitted, TestDb>(db)
{
    protected override Task Handle(ConsumeContext<ClaimSubmitted> context)
    {
        deliveries.Record(context);
        return Task.CompletedTask;
    }
}

public sealed class TracePropagationTests(MessagingServers servers)
{
    [Fact]
    public async Task Consumer_sees_the_trace_id_that_was_current_when_the_message_was_added()
    {
        await using var host = await StartAsync("trace");

        var traceId = await AddInTraceAsync(host, "traced", _ => { });

        var delivery = Assert.Single(await host.Deliveries.WaitForAsync(all => all.Count == 1));
        Assert.Equal(traceId, delivery.TraceId);
    }

    [Fact]
    public async Task Trace_id_survives_the_outbox_even_when_MassTransit_activities_are_not_recorded()
    {
        await using var host = await StartAsync("trace-bare");

        var traceId = await AddInTraceAsync(host, "bare", TestTracing.DoNotRecordMassTransitActivities);

        var delivery = Assert.Single(await host.Deliveries.WaitForAsync(all => all.Count == 1));
        Assert.Equal(traceId, delivery.TraceId);
    }

    private async Task<TestHost> StartAsync(string service)
    {
        var database = await servers.CreateDatabaseAsync(service.Replace('-', '_'));
        await TestDb.CreateSchemaAsync(database);
        return await TestHost.StartAsync(servers, database, Names.UniqueService(service), bus => bus.AddConsumer<ClaimSubmittedConsumer>());
    }

    /// <summary>Adds the message inside an activity standing in for an incoming HTTP request, and returns that trace id.</summary>
    private static async Task<ActivityTraceId> AddInTraceAsync(TestHost host, string claim, Action<ActivityTraceId> beforeAdd)
    {
        ActivityTraceId traceId = default;
        await host.InScopeAsync(async db =>
        {
            using var request = TestTracing.Source.StartActivity("POST /claims", ActivityKind.Server);
            Assert.NotNull(request);
            traceId = request.TraceId;
            beforeAdd(traceId);
            db.AddOutboxMessage(new ClaimSubmitted(claim));
            await db.SaveChangesAsync();
        });
        return traceId;
    }
}
