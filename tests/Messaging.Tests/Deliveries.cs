using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;

namespace Messaging.Tests;

public sealed record Delivery(Guid? MessageId, object Message, ActivityTraceId? TraceId);

/// <summary>What the consumers of one test host received, in arrival order.</summary>
public sealed class Deliveries
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentQueue<Delivery> received = new();

    public IReadOnlyList<Delivery> All => [.. received];

    public void Record<T>(ConsumeContext<T> context)
        where T : class =>
        received.Enqueue(new Delivery(context.MessageId, context.Message, Activity.Current?.TraceId));

    public async Task<IReadOnlyList<Delivery>> WaitForAsync(Func<IReadOnlyList<Delivery>, bool> done, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var all = All;
            if (done(all))
            {
                return all;
            }

            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"Not delivered within {limit}; got {all.Count}: {string.Join(", ", all.Select(d => d.Message))}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
