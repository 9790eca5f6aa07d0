using System.Diagnostics;

namespace Platform.Bench.Messaging;

/// <summary>When each event of the current run was received (Stopwatch timestamps), filled in by the consumers.</summary>
public sealed class Deliveries
{
    private long[] received = [];
    private int run;
    private int remaining;
    private TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Begin(int runNumber, int count)
    {
        received = new long[count];
        remaining = count;
        run = runNumber;
        all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Record(int runNumber, int index)
    {
        var now = Stopwatch.GetTimestamp();
        if (runNumber != run || index < 0 || index >= received.Length || Interlocked.CompareExchange(ref received[index], now, 0) != 0)
        {
            return; // a redelivery, or a late event of an earlier run
        }

        if (Interlocked.Decrement(ref remaining) == 0)
        {
            all.TrySetResult();
        }
    }

    /// <summary>Only <paramref name="sent"/> of the run's events were sent (a window closed on the rest): wait for those.</summary>
    public void Expect(int sent)
    {
        if (Interlocked.Add(ref remaining, -(received.Length - sent)) <= 0)
        {
            all.TrySetResult();
        }
    }

    /// <summary>Waits until every event arrived or the time is up; returns the receive timestamps (0 for missing ones).</summary>
    public async Task<long[]> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await all.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
        }

        return received;
    }
}
