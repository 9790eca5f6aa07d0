using MassTransit;
using Platform.Messaging;

namespace Platform.Bench.Messaging;

/// <summary>Platform.Messaging's consumer: the inbox row and the effect commit together, once per MessageId.</summary>
public sealed class OutboxEventConsumer(BenchDb db) : InboxConsumer<BenchEvent, BenchDb>(db)
{
    protected override Task Handle(ConsumeContext<BenchEvent> context)
    {
        Db.Effects.Add(new Effect { Index = context.Message.Index });
        return Task.CompletedTask;
    }
}

/// <summary>Records an inbox consumer's event once its transaction committed (after <see cref="InboxConsumer{TMessage,TDb}"/> returned).</summary>
public sealed class CommittedObserver(Deliveries deliveries) : IConsumeObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is BenchEvent e)
        {
            deliveries.Record(e.Run, e.Index);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}

/// <summary>The plain MassTransit consumer: no database, it only notes the arrival.</summary>
public sealed class PlainConsumer(Deliveries deliveries) : IConsumer<PlainBenchEvent>
{
    public Task Consume(ConsumeContext<PlainBenchEvent> context)
    {
        deliveries.Record(context.Message.Run, context.Message.Index);
        return Task.CompletedTask;
    }
}
