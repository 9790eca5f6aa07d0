using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed record PayslipIssued(string Payslip);

public sealed class PayslipIssuedConsumer(TestDb db, Deliveries deliveries) : InboxConsumer<PayslipIssued, TestDb>(db)
{
    protected override Task Handle(ConsumeContext<PayslipIssued> context)
    {
        deliveries.Record(context);
        Db.Effects.Add(new Effect { MessageId = context.MessageId!.Value, Label = context.Message.Payslip });
        return Task.CompletedTask;
    }
}

public sealed class BrokerOutageTests(MessagingServers servers)
{
    [Fact]
    public async Task Publish_attempted_while_RabbitMQ_is_stopped_is_retried_and_arrives_once_it_is_back()
    {
        // Its own broker: stopping the shared one would disturb the tests running beside this one.
        await using var broker = await RabbitMqServer.StartAsync();
        var database = await servers.CreateDatabaseAsync("outage");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(
            servers, database, Names.UniqueService("outage"), bus => bus.AddConsumer<PayslipIssuedConsumer>(),
            new Dictionary<string, string?> { ["Messaging:PublishTimeout"] = "00:00:02" },
            broker.AmqpUri);
        using var metrics = new MetricRecorder(host.Services);

        await broker.CtlAsync("stop_app");
        Guid messageId = default;
        await host.InScopeAsync(async db =>
        {
            messageId = db.AddOutboxMessage(new PayslipIssued("P-1")).MessageId;
            await db.SaveChangesAsync();
        });

        var failed = await WaitForRowAsync(database, row => row.Attempts > 0);
        Assert.Null(failed.SentAt);
        Assert.NotNull(failed.LastError);

        // Readiness says the broker is unreachable, and the backlog shows on the metrics.
        Assert.Equal(HealthStatus.Unhealthy, (await ReadyAsync(host)).Entries["rabbitmq"].Status);
        Assert.Equal(1, await WaitForGaugeAsync(metrics, MessagingMetrics.BacklogName, value => value == 1));
        Assert.True(await WaitForGaugeAsync(metrics, MessagingMetrics.OldestUnsentAgeName, value => value > 0) > 0);

        await broker.CtlAsync("start_app");

        var delivered = await host.Deliveries.WaitForAsync(all => all.Count > 0, TimeSpan.FromSeconds(60));
        Assert.Equal(messageId, delivered[0].MessageId);
        var sent = await WaitForRowAsync(database, row => row.SentAt is not null);
        Assert.True(sent.Attempts > 0);
        Assert.Equal(0, await WaitForGaugeAsync(metrics, MessagingMetrics.BacklogName, value => value == 0));
        Assert.Equal(HealthStatus.Healthy, (await WaitForReadyAsync(host, HealthStatus.Healthy)).Entries["rabbitmq"].Status);
    }

    private static Task<HealthReport> ReadyAsync(TestHost host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Tags.Contains("ready"), TestContext.Current.CancellationToken);

    private static async Task<HealthReport> WaitForReadyAsync(TestHost host, HealthStatus status)
    {
        var report = await ReadyAsync(host);
        for (var i = 0; i < 60 && report.Status != status; i++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            report = await ReadyAsync(host);
        }

        return report;
    }

    // The backlog is sampled every few seconds.
    private static async Task<double?> WaitForGaugeAsync(MetricRecorder metrics, string name, Func<double, bool> condition)
    {
        double? value = null;
        for (var i = 0; i < 100; i++)
        {
            value = metrics.Observe(name);
            if (value is { } seen && condition(seen))
            {
                return seen;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        return value;
    }

    private static async Task<OutboxMessage> WaitForRowAsync(string database, Func<OutboxMessage, bool> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            await using var db = TestDb.Open(database);
            var row = await db.Set<OutboxMessage>().AsNoTracking().SingleAsync(TestContext.Current.CancellationToken);
            if (condition(row))
            {
                return row;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The outbox row never reached the expected state.");
    }
}
