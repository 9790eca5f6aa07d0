using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Npgsql;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

/// <summary>This class's own event: a class that runs beside it asserts how many <see cref="StockCounted"/> it receives.</summary>
public sealed record ShelfAudited(int Number);

public sealed class ShelfAuditedConsumer(Deliveries deliveries) : IConsumer<ShelfAudited>
{
    public Task Consume(ConsumeContext<ShelfAudited> context)
    {
        deliveries.Record(context);
        return Task.CompletedTask;
    }
}

/// <summary>
/// While nothing happens, the dispatcher's sweep (a transaction each time) waits longer and longer, up to
/// <c>Messaging:SweepIntervalWhenIdle</c>; a row another process leaves still goes out within that wait.
/// </summary>
public sealed class IdleSweepTests(MessagingServers servers)
{
    [Fact]
    public async Task An_idle_dispatcher_sweeps_less_and_less_often_and_still_publishes_a_row_another_process_left()
    {
        var database = await servers.CreateDatabaseAsync("idle_sweeps");
        await TestDb.CreateSchemaAsync(database);
        var settings = new Dictionary<string, string?>
        {
            ["Messaging:SweepInterval"] = "00:00:00.100", ["Messaging:SweepIntervalWhenIdle"] = "00:00:01", ["Messaging:SweepAfter"] = "00:00:00",
        };
        using var looks = new SweepLooks(new NpgsqlConnectionStringBuilder(database).Database!);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("idle-sweeps"), bus => bus.AddConsumer<ShelfAuditedConsumer>(), settings);

        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // past the first doublings
        var before = looks.Count;
        await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken);
        var idleLooks = looks.Count - before;
        // Every 100 ms that is about 40 sweeps; backed off to one a second, 4 or 5.
        Assert.InRange(idleLooks, 2, 8);

        var left = Stopwatch.StartNew();
        await using (var db = TestDb.Open(database))
        {
            db.AddOutboxMessage(new ShelfAudited(1)); // saved without the dispatcher's hand-over: only a sweep finds it
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await host.Deliveries.WaitForAsync(all => all.Count >= 1);
        Assert.True(left.Elapsed < TimeSpan.FromSeconds(3), $"the row left by another process went out after {left.Elapsed.TotalSeconds:0.0} s; the idle sweep is at most 1 s apart");
    }

    /// <summary>Counts the sweep's look at the outbox (its first statement) on one database, from Npgsql's own activities.</summary>
    private sealed class SweepLooks : IDisposable
    {
        private readonly ActivityListener listener;
        private readonly ConcurrentQueue<DateTime> seen = new();

        public SweepLooks(string database)
        {
            listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    var values = activity.TagObjects.Select(tag => tag.Value as string).ToList();
                    if (values.Contains(database) && values.Any(value => value?.Contains("count(*) FILTER", StringComparison.Ordinal) == true))
                    {
                        seen.Enqueue(activity.StartTimeUtc);
                    }
                },
            };
            ActivitySource.AddActivityListener(listener);
        }

        public int Count => seen.Count;

        public void Dispose() => listener.Dispose();
    }
}
