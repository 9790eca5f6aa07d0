using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed record InvoiceIssued(string Invoice);

/// <summary>Whether the downstream a consumer needs is broken; an operator "fixes" it before replaying.</summary>
public sealed class Downstream
{
    public volatile bool Broken = true;
}

public sealed class InvoiceIssuedConsumer(TestDb db, Downstream downstream) : InboxConsumer<InvoiceIssued, TestDb>(db)
{
    protected override Task Handle(ConsumeContext<InvoiceIssued> context)
    {
        if (downstream.Broken)
        {
            throw new InvalidOperationException("The invoice service is down.");
        }

        Db.Effects.Add(new Effect { MessageId = context.MessageId!.Value, Label = context.Message.Invoice });
        return Task.CompletedTask;
    }
}

/// <summary>The replay docs/operations.md describes: a shovel moves what is in the _error queue back to its queue.</summary>
public sealed class ErrorQueueReplayTests(MessagingServers servers)
{
    [Fact]
    public async Task A_dead_lettered_message_replayed_with_a_shovel_is_handled_once_the_cause_is_fixed()
    {
        var database = await servers.CreateDatabaseAsync("replay");
        await TestDb.CreateSchemaAsync(database);
        var serviceName = Names.UniqueService("replay");
        await using var host = await TestHost.StartAsync(servers, database, serviceName, bus => bus.AddConsumer<InvoiceIssuedConsumer>(),
            services: services => services.AddSingleton<Downstream>());
        var queue = $"{serviceName}-invoice-issued";

        Guid messageId = default;
        await host.InScopeAsync(async db =>
        {
            messageId = db.AddOutboxMessage(new InvoiceIssued("INV-1")).MessageId;
            await db.SaveChangesAsync();
        });
        await WaitForDepthsAsync(depths => depths.GetValueOrDefault($"{queue}_error") == 1, $"{queue}_error never held the message");

        host.Services.GetRequiredService<Downstream>().Broken = false;
        await servers.RabbitMq.PluginsAsync("enable", "rabbitmq_shovel");
        await servers.RabbitMq.CtlAsync("set_parameter", "shovel", $"replay-{queue}",
            $$"""{"src-protocol":"amqp091","src-uri":"amqp://","src-queue":"{{queue}}_error","dest-protocol":"amqp091","dest-uri":"amqp://","dest-queue":"{{queue}}","src-delete-after":"queue-length"}""");

        await using var db = TestDb.Open(database);
        Effect? effect = null;
        for (var i = 0; i < 150 && effect is null; i++)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            effect = await db.Effects.AsNoTracking().SingleOrDefaultAsync(e => e.MessageId == messageId, TestContext.Current.CancellationToken);
        }
        Assert.NotNull(effect);
        Assert.Equal("INV-1", effect.Label);
        await WaitForDepthsAsync(depths => depths.GetValueOrDefault($"{queue}_error") == 0 && depths.GetValueOrDefault(queue) == 0,
            "the queues did not drain");
        Assert.Single(await db.Set<InboxMessage>().AsNoTracking().Where(m => m.MessageId == messageId).ToListAsync(TestContext.Current.CancellationToken));
    }

    private async Task WaitForDepthsAsync(Func<Dictionary<string, int>, bool> condition, string failure)
    {
        var depths = new Dictionary<string, int>();
        for (var i = 0; i < 60; i++)
        {
            depths = (await servers.RabbitMq.CtlAsync("list_queues", "--quiet", "--no-table-headers", "name", "messages"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split('\t'))
                .Where(fields => fields.Length == 2 && int.TryParse(fields[1], out _))
                .ToDictionary(fields => fields[0], fields => int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
            if (condition(depths))
            {
                return;
            }

            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"{failure}; queues: {string.Join(", ", depths.Select(d => $"{d.Key}={d.Value}"))}");
    }
}
