using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed record AuditRecorded(string Entry);

public sealed class AuditRecordedConsumer(Deliveries deliveries) : IConsumer<AuditRecorded>
{
    public Task Consume(ConsumeContext<AuditRecorded> context)
    {
        deliveries.Record(context);
        return Task.CompletedTask;
    }
}

public sealed class TimeProviderTests(MessagingServers servers)
{
    private static readonly DateTimeOffset Opened = new(2031, 4, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Outbox_rows_are_stamped_with_the_injected_clock_and_still_delivered_while_it_stands_still()
    {
        var clock = new FakeTimeProvider(Opened);
        var (host, database) = await StartOnAsync(clock);
        await using var _ = host;

        await AddOneAsync(host, "opened");
        await host.Deliveries.WaitForAsync(all => all.Count == 1);

        var row = await WhenMarkedSentAsync(database);
        Assert.Equal(clock.GetUtcNow(), row.CreatedAt);
        Assert.Equal(clock.GetUtcNow(), row.SentAt);
    }

    [Fact]
    public async Task A_row_is_stamped_sent_when_it_was_published_not_when_the_dispatcher_got_round_to_marking_it()
    {
        var clock = new FakeTimeProvider(Opened);
        var (host, database) = await StartOnAsync(clock);
        await using var _ = host;

        await AddOneAsync(host, "published");
        await host.Deliveries.WaitForAsync(all => all.Count == 1);
        // Delivered, so published (the broker's confirm reaches the dispatcher within moments of the delivery); published
        // rows are marked together a second after the first of them, by which time the clock reads an hour on.
        await Task.Delay(TimeSpan.FromMilliseconds(400), TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromHours(1));

        var row = await WhenMarkedSentAsync(database);
        Assert.Equal(Opened, row.SentAt);
    }

    private async Task<(TestHost Host, string Database)> StartOnAsync(TimeProvider clock)
    {
        var database = await servers.CreateDatabaseAsync("clock");
        await TestDb.CreateSchemaAsync(database);
        var host = await TestHost.StartAsync(
            servers, database, Names.UniqueService("clock"), bus => bus.AddConsumer<AuditRecordedConsumer>(),
            services: services => services.AddSingleton<TimeProvider>(clock));
        return (host, database);
    }

    private static Task AddOneAsync(TestHost host, string entry) => host.InScopeAsync(async db =>
    {
        db.AddOutboxMessage(new AuditRecorded(entry));
        await db.SaveChangesAsync();
    });

    /// <summary>The single outbox row, once marked sent (5 s at most).</summary>
    private static async Task<OutboxMessage> WhenMarkedSentAsync(string database)
    {
        await using var check = TestDb.Open(database);
        for (var i = 0; i < 50 && await check.Set<OutboxMessage>().AnyAsync(m => m.SentAt == null, TestContext.Current.CancellationToken); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return await check.Set<OutboxMessage>().AsNoTracking().SingleAsync(TestContext.Current.CancellationToken);
    }
}
