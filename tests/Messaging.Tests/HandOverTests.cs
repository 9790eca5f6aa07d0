using System.Data.Common;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

/// <summary>This test's own event: a test class that runs beside it and asserts every <see cref="LedgerChanged"/> it gets must not get this one.</summary>
public sealed record RowHandedOver(string Label);

public sealed class RowHandedOverConsumer(Deliveries deliveries) : IConsumer<RowHandedOver>
{
    public Task Consume(ConsumeContext<RowHandedOver> context)
    {
        deliveries.Record(context);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A SaveChanges in its own transaction hands its rows over only once it has finished: EF Core gives the entities their
/// generated ids after the commit, and a row handed over without its id was published but could not be marked sent, so a
/// sweep published it again. Under load, a request thread that waits after its commit made that happen (Identity, 0.15% of
/// its events while the bench registered practices).
/// </summary>
public sealed class HandOverTests(MessagingServers servers)
{
    [Fact]
    public async Task A_row_saved_in_its_own_transaction_is_marked_sent_even_when_its_thread_is_slow_after_the_commit()
    {
        var database = await servers.CreateDatabaseAsync("slow_after_commit");
        await TestDb.CreateSchemaAsync(database);
        // No sweep may take the row while the test watches: a row left unmarked stays unmarked.
        var settings = new Dictionary<string, string?> { ["Messaging:SweepAfter"] = "00:01:00" };
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("slow-after-commit"),
            bus => bus.AddConsumer<RowHandedOverConsumer>(), settings);

        var label = $"registered {Guid.NewGuid():N}";
        var options = new DbContextOptionsBuilder<TestDb>().UseNpgsql(database);
        options.UsePlatformOutbox(host.Services);
        options.AddInterceptors(new SlowAfterCommit(TimeSpan.FromSeconds(1.5)));
        await using (var db = new TestDb(options.Options))
        {
            db.Effects.Add(new Effect { Label = label });
            db.AddOutboxMessage(new RowHandedOver(label));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await host.Deliveries.WaitForAsync(all => all.Any(delivery => delivery.Message is RowHandedOver handedOver && handedOver.Label == label));
        // Published rows are marked within a second of their publish.
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);

        await using var check = TestDb.Open(database);
        var row = await check.Set<OutboxMessage>().SingleAsync(TestContext.Current.CancellationToken);
        Assert.True(row.SentAt is not null, "the row was published but never marked sent: a sweep would publish it again");
        Assert.Single(host.Deliveries.All, delivery => delivery.Message is RowHandedOver handedOver && handedOver.Label == label);
    }

    /// <summary>Holds the thread that committed, after the outbox's own interceptor has seen the commit, as a busy machine can.</summary>
    private sealed class SlowAfterCommit(TimeSpan wait) : DbTransactionInterceptor
    {
        public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
            await Task.Delay(wait, cancellationToken);
    }
}
