using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Platform.Bench.Messaging;
using Platform.Messaging;
using Platform.ServiceDefaults;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Platform.Bench.Scenarios;

/// <summary>
/// Events through Platform.Messaging (a state change and its outbox row committed together, the dispatcher publishing it,
/// an inbox consumer committing its effect), against plain MassTransit publish/consume and raw RabbitMQ.Client publish
/// with confirms and consume, all on one real RabbitMQ node and PostgreSQL server of their own, with the platform's settings
/// (durable queues, persistent messages, publisher confirms, prefetch 32). Latency is from the scheduled send to the
/// consumer (for Platform.Messaging: after the consumer's transaction committed).
/// </summary>
public static class MessagingScenario
{
    private const ushort Prefetch = 32;
    private const string CpuPerEvent = "CPU per event (producer, broker, database, consumer)";

    public static async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var quick = context.Quick;
        var (latencyRate, latencySeconds, latencyConnections) = quick ? (100, 2, 8) : (200, 10, 8);
        var (throughputRate, throughputSeconds, throughputConnections) = quick ? (5000, 1, 16) : (10_000, 5, 16);
        result.Settings["latency load"] = $"{latencyRate}/s for {latencySeconds} s, {latencyConnections} producers";
        result.Settings["throughput load"] = $"{throughputRate}/s offered for {throughputSeconds} s (more than any variant serves), {throughputConnections} producers; events still unsent when the window closes are not counted";
        result.Settings["broker and database"] = "one RabbitMQ node and one PostgreSQL 15 server started by tests/Platform.Testing for this scenario";
        result.Settings["all variants"] = $"durable queue, persistent messages, publisher confirms, prefetch {Prefetch}";
        result.Settings["Platform.Messaging's database"] = "registered as every service registers its own (AddServiceDatabase: pooled contexts, no session reset, prepared statements)";
        result.Settings["warm-up"] = quick ? "200 events at 200/s per variant (not recorded)" : "200 events at 200/s, then the throughput load for 3 s, per variant (not recorded)";

        BenchContext.Log("messaging: starting PostgreSQL and RabbitMQ ...");
        var servers = new MessagingServers();
        await servers.InitializeAsync();
        try
        {
            var database = await servers.CreateDatabaseAsync("bench_messaging");
            await using var raw = await RawVariant.StartAsync(servers.RabbitMq.AmqpUri, throughputConnections, cancellationToken);
            await using var plain = await PlainMassTransitVariant.StartAsync(servers.RabbitMq.AmqpUri, cancellationToken);
            await using var outbox = await OutboxVariant.StartAsync(servers.RabbitMq.AmqpUri, database, cancellationToken);
            IVariant[] variants = [raw, plain, outbox];
            var runNumber = 0;
            // Warm-up, not recorded: the latency load, then (full mode) the throughput load for a few seconds, so the first
            // measured run does not pay for the JIT compiling the saturated paths (a profile showed it in the first run).
            var warmUpSeconds = quick ? 0 : 3;
            foreach (var variant in variants)
            {
                await MeasureAsync(variant, ++runNumber, 200, 200, 8, null, cancellationToken);
                if (warmUpSeconds > 0)
                {
                    await MeasureAsync(variant, ++runNumber, throughputRate, throughputRate * warmUpSeconds, throughputConnections,
                        TimeSpan.FromSeconds(warmUpSeconds), cancellationToken);
                }
            }

            for (var run = 0; run < context.Repeats; run++)
            {
                foreach (var variant in run % 2 == 0 ? variants : variants.Reverse())
                {
                    var latency = await MeasureAsync(variant, ++runNumber, latencyRate, latencyRate * latencySeconds, latencyConnections, null, cancellationToken);
                    result.FigureSet.Add(variant.Name, $"latency p50 at {latencyRate}/s", "ms", latency.P(50));
                    result.FigureSet.Add(variant.Name, $"latency p99 at {latencyRate}/s", "ms", latency.P(99));
                    if (variant is OutboxVariant dispatch)
                    {
                        var afterCommit = await dispatch.DispatchDelaysAsync(runNumber, cancellationToken);
                        result.FigureSet.Add(variant.Name, $"outbox dispatch after commit p50 at {latencyRate}/s", "ms", Samples.Percentile(afterCommit, 50));
                        result.FigureSet.Add(variant.Name, $"outbox dispatch after commit p99 at {latencyRate}/s", "ms", Samples.Percentile(afterCommit, 99));
                    }

                    var cpuBefore = CpuShare.OwnTreeSeconds();
                    var throughput = await MeasureAsync(variant, ++runNumber, throughputRate, throughputRate * throughputSeconds, throughputConnections,
                        TimeSpan.FromSeconds(throughputSeconds), cancellationToken);
                    var cpuPerEvent = (CpuShare.OwnTreeSeconds() - cpuBefore) * 1000 / Math.Max(1, throughput.LatencyMs.Length);
                    result.FigureSet.Add(variant.Name, "events/s", "/s", throughput.Throughput);
                    result.FigureSet.Add(variant.Name, CpuPerEvent, "ms", cpuPerEvent);
                    result.FigureSet.Add(variant.Name, "lost or late (not received within the run)", "count", latency.Missing + throughput.Missing);
                    BenchContext.Log($"messaging run {run + 1}, {variant.Name}: p50 {latency.P(50):0.00} ms, p99 {latency.P(99):0.00} ms at {latencyRate}/s; " +
                        $"{throughput.Throughput:0} events/s; send failures {latency.Load.FailureSummary} / {throughput.Load.FailureSummary}");
                }

                var insert = await PostgresBaseline.InsertRateAsync(database, context.Quick ? 1 : 3, cancellationToken);
                result.FigureSet.Add("bare INSERT (same PostgreSQL)", "single-row committed INSERTs/s (16 connections)", "/s", insert.Throughput);

                var figures = result.FigureSet;
                figures.Add("Platform.Messaging vs plain MassTransit", "throughput ratio", "x",
                    figures.Find(OutboxVariant.Label, "events/s")!.Runs[^1] / figures.Find(PlainMassTransitVariant.Label, "events/s")!.Runs[^1]);
            }
        }
        finally
        {
            await servers.DisposeAsync();
        }

        var ratio = result.FigureSet.MedianOf("Platform.Messaging vs plain MassTransit", "throughput ratio");
        var dispatchP50 = result.FigureSet.MedianOf(OutboxVariant.Label, $"outbox dispatch after commit p50 at {latencyRate}/s");
        result.Goals.Add(new Goal("outbox throughput", ">= 0.5x plain MassTransit", $"{ratio:0.00}x ({result.FigureSet.MedianOf(OutboxVariant.Label, "events/s"):0} vs {result.FigureSet.MedianOf(PlainMassTransitVariant.Label, "events/s"):0} events/s)", ratio >= 0.5));
        result.Goals.Add(new Goal("outbox dispatch", "p50 <= 2 ms after commit", $"{dispatchP50:0.00} ms", dispatchP50 <= 2));
        var (outboxCpu, plainCpu) = (result.FigureSet.MedianOf(OutboxVariant.Label, CpuPerEvent), result.FigureSet.MedianOf(PlainMassTransitVariant.Label, CpuPerEvent));
        result.Goals.Add(new Goal("outbox CPU per event", "within 3x plain MassTransit's", $"{outboxCpu / plainCpu:0.0}x ({outboxCpu:0.00} vs {plainCpu:0.00} ms)",
            outboxCpu <= 3 * plainCpu));
        result.Notes.Add("Each Platform.Messaging event commits at least two transactions (the producer's, the consumer's inbox) plus its share of the dispatcher's; "
            + "the bare INSERT rate on the same server is the ceiling for committed transactions per second, so about half of it bounds the outbox path.");
        result.Notes.Add("CPU per event is this harness's process tree (the producers and consumers, RabbitMQ, PostgreSQL) during the throughput run, over the events received.");
        result.Notes.Add("Outbox dispatch after commit is each row's sent_at (stamped once the broker confirmed the publish) minus the moment the producer's SaveChanges returned.");
    }

    private static async Task<Measured> MeasureAsync(IVariant variant, int runNumber, int rate, int count, int connections, TimeSpan? window, CancellationToken cancellationToken)
    {
        variant.Deliveries.Begin(runNumber, count);
        var seconds = count / (double)rate;
        var load = await OpenLoad.RunAsync(rate, count, connections, async (i, ct) =>
        {
            await variant.SendAsync(runNumber, i, ct);
            return null;
        }, TimeSpan.FromSeconds(seconds * 3 + 30), cancellationToken, window);
        variant.Deliveries.Expect(load.Succeeded);
        var received = await variant.Deliveries.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        var latencies = new List<double>(count);
        var last = 0L;
        for (var i = 0; i < count; i++)
        {
            if (received[i] != 0)
            {
                latencies.Add(Samples.Milliseconds(received[i] - load.ScheduledAt(i)));
                last = Math.Max(last, received[i]);
            }
        }

        var elapsed = (last - load.StartTimestamp) / (double)Stopwatch.Frequency;
        return new Measured(load, [.. latencies], load.Succeeded - latencies.Count, elapsed > 0 ? latencies.Count / elapsed : 0);
    }

    private sealed record Measured(LoadRun Load, double[] LatencyMs, int Missing, double Throughput)
    {
        public double P(double percentile) => Samples.Percentile(LatencyMs, percentile);
    }

    private interface IVariant : IAsyncDisposable
    {
        string Name { get; }

        Deliveries Deliveries { get; }

        Task SendAsync(int run, int index, CancellationToken cancellationToken);
    }

    /// <summary>RabbitMQ.Client 7: a pool of channels with publisher confirmations (one publish in flight each), one consuming channel.</summary>
    private sealed class RawVariant(IConnection connection, ChannelPool publishers) : IVariant
    {
        private const string Queue = "bench-raw";
        private static readonly BasicProperties Persistent = new() { Persistent = true, ContentType = "application/json" };

        public string Name => "raw RabbitMQ.Client";

        public Deliveries Deliveries { get; } = new();

        public static async Task<RawVariant> StartAsync(Uri amqp, int channels, CancellationToken cancellationToken)
        {
            var connection = await new ConnectionFactory { Uri = amqp, ClientProvidedName = "bench-raw" }.CreateConnectionAsync(cancellationToken);
            var consumer = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await consumer.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
            await consumer.BasicQosAsync(0, Prefetch, false, cancellationToken);
            var publishers = new ChannelPool();
            for (var i = 0; i < channels; i++)
            {
                publishers.Return(await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken));
            }

            var variant = new RawVariant(connection, publishers);
            var receiver = new AsyncEventingBasicConsumer(consumer);
            receiver.ReceivedAsync += async (_, delivery) =>
            {
                var e = JsonSerializer.Deserialize<BenchEvent>(delivery.Body.Span)!;
                variant.Deliveries.Record(e.Run, e.Index);
                await consumer.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            };
            await consumer.BasicConsumeAsync(Queue, autoAck: false, receiver, cancellationToken);
            return variant;
        }

        public async Task SendAsync(int run, int index, CancellationToken cancellationToken)
        {
            var channel = publishers.Take();
            try
            {
                // With confirmation tracking on, this returns once the broker confirmed the message.
                await channel.BasicPublishAsync("", Queue, mandatory: true, Persistent, JsonSerializer.SerializeToUtf8Bytes(new BenchEvent(run, index)), cancellationToken);
            }
            finally
            {
                publishers.Return(channel);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await connection.CloseAsync();
            connection.Dispose();
        }
    }

    private sealed class ChannelPool
    {
        private readonly System.Collections.Concurrent.BlockingCollection<IChannel> channels = new();

        public IChannel Take() => channels.Take();

        public void Return(IChannel channel) => channels.Add(channel);
    }

    /// <summary>MassTransit over RabbitMQ as the platform configures it, without the outbox and inbox.</summary>
    private sealed class PlainMassTransitVariant(IHost host) : IVariant
    {
        public const string Label = "plain MassTransit";
        private readonly IBus bus = host.Services.GetRequiredService<IBus>();

        public string Name => Label;

        public Deliveries Deliveries { get; } = host.Services.GetRequiredService<Deliveries>();

        public static async Task<PlainMassTransitVariant> StartAsync(Uri amqp, CancellationToken cancellationToken)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<Deliveries>();
            builder.Services.AddMassTransit(bus =>
            {
                bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter("bench-plain-", includeNamespace: false));
                bus.AddConsumer<PlainConsumer>();
                bus.UsingRabbitMq((context, rabbit) =>
                {
                    rabbit.Host(amqp, h => h.PublisherConfirmation = true);
                    rabbit.Durable = true;
                    rabbit.PrefetchCount = Prefetch;
                    rabbit.ConfigureEndpoints(context);
                });
            });
            var host = builder.Build();
            await host.StartAsync(cancellationToken);
            await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            return new PlainMassTransitVariant(host);
        }

        public Task SendAsync(int run, int index, CancellationToken cancellationToken) => bus.Publish(new PlainBenchEvent(run, index), cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }
    }

    /// <summary>
    /// Platform.Messaging as a service uses it: each send is a request's transaction (a state row and its outbox row), the
    /// dispatcher publishes after the commit, and an <see cref="InboxConsumer{TMessage,TDb}"/> commits its effect and inbox row.
    /// </summary>
    private sealed class OutboxVariant(IHost host, string connectionString) : IVariant
    {
        public const string Label = "Platform.Messaging (outbox, inbox)";
        private readonly Dictionary<int, long[]> committedAt = [];
        private DateTimeOffset anchorUtc = DateTimeOffset.UtcNow;
        private long anchor = Stopwatch.GetTimestamp();
        private int currentRun = -1;

        public string Name => Label;

        public Deliveries Deliveries { get; } = host.Services.GetRequiredService<Deliveries>();

        public static async Task<OutboxVariant> StartAsync(Uri amqp, string connectionString, CancellationToken cancellationToken)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:messaging"] = amqp.ToString(),
                ["ConnectionStrings:bench"] = connectionString,
            });
            builder.Services.AddSingleton<Deliveries>();
            // The database as every service registers it (pooled contexts, no session reset, prepared statements), so the
            // figures are the services' own; the tables come from EnsureCreated below, so there are no migrations to apply.
            builder.AddServiceDatabase<BenchDb>("bench", (services, options) => options.UsePlatformOutbox(services));
            builder.Services.Remove(builder.Services.Single(service => service.ImplementationType == typeof(DatabaseMigrator<BenchDb>)));
            builder.AddPlatformMessaging<BenchDb>("bench", bus => bus.AddConsumer<OutboxEventConsumer>());
            builder.Services.AddConsumeObserver<CommittedObserver>();
            var host = builder.Build();
            await using (var scope = host.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<BenchDb>().Database.EnsureCreatedAsync(cancellationToken);
            }

            await host.StartAsync(cancellationToken);
            await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            return new OutboxVariant(host, connectionString);
        }

        public async Task SendAsync(int run, int index, CancellationToken cancellationToken)
        {
            if (currentRun != run)
            {
                lock (committedAt)
                {
                    if (currentRun != run)
                    {
                        committedAt[run] = new long[100_000];
                        (anchorUtc, anchor) = (DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
                        currentRun = run;
                    }
                }
            }

            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BenchDb>();
            db.Orders.Add(new Order { Id = Guid.CreateVersion7(), Index = index, PlacedAt = DateTimeOffset.UtcNow });
            db.AddOutboxMessage(new BenchEvent(run, index));
            await db.SaveChangesAsync(cancellationToken);
            committedAt[run][index] = Stopwatch.GetTimestamp();
        }

        /// <summary>For each event of the run: its outbox row's sent_at minus the moment its transaction committed (ms).</summary>
        public async Task<double[]> DispatchDelaysAsync(int run, CancellationToken cancellationToken)
        {
            var commits = committedAt[run];
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var query = new NpgsqlCommand(
                "SELECT (body->>'index')::int, sent_at FROM outbox_messages WHERE sent_at IS NOT NULL AND (body->>'run')::int = $1", connection);
            query.Parameters.Add(new NpgsqlParameter { Value = run });
            var delays = new List<double>();
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var index = reader.GetInt32(0);
                var sentAt = reader.GetFieldValue<DateTimeOffset>(1);
                if (index < commits.Length && commits[index] != 0)
                {
                    var committedUtc = anchorUtc + TimeSpan.FromSeconds((commits[index] - anchor) / (double)Stopwatch.Frequency);
                    delays.Add((sentAt - committedUtc).TotalMilliseconds);
                }
            }

            return [.. delays];
        }

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }
    }
}
