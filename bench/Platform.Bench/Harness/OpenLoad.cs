using System.Collections.Concurrent;
using System.Diagnostics;

namespace Platform.Bench.Harness;

/// <summary>
/// An open-model load generator: request i is scheduled at start + i / rate whatever happened to the earlier ones, and its
/// latency is measured from that scheduled moment, so time spent queueing behind a slow request is counted (no coordinated
/// omission). At most <c>connections</c> requests are in flight; when all are busy, the next one starts late and its lateness
/// is part of its latency. Bounded: <c>count</c> requests, and a hard time limit after which the rest are counted as not sent.
/// </summary>
public static class OpenLoad
{
    /// <summary>
    /// Runs the load. <paramref name="send"/> returns null on success or a short failure label ("HTTP 503").
    /// With a <paramref name="window"/> (a saturation run, offered more than the system serves) nothing is sent after the
    /// window closes: requests still waiting then are counted as <see cref="LoadRun.NotSent"/>, not as failures.
    /// </summary>
    public static async Task<LoadRun> RunAsync(
        double ratePerSecond, int count, int connections, Func<int, CancellationToken, Task<string?>> send,
        TimeSpan limit, CancellationToken cancellationToken, TimeSpan? window = null)
    {
        var latency = new double[count];
        var service = new double[count];
        Array.Fill(latency, double.NaN);
        Array.Fill(service, double.NaN);
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var next = -1;
        var lastEnd = 0L;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(limit);
        // A short lead so every worker is waiting before the first request is due.
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 50;
        var interval = Stopwatch.Frequency / ratePerSecond;
        var closes = window is { } open ? start + (long)(open.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var notSent = 0;

        async Task WorkAsync()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count)
                {
                    return;
                }

                var scheduled = start + (long)(i * interval);
                if (scheduled > closes || Stopwatch.GetTimestamp() > closes)
                {
                    Interlocked.Increment(ref notSent);
                    continue;
                }

                try
                {
                    await WaitUntilAsync(scheduled, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                var began = Stopwatch.GetTimestamp();
                string? failure;
                try
                {
                    failure = await send(i, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    failure = "run time limit";
                }
                catch (Exception e)
                {
                    failure = e is HttpRequestException { StatusCode: null } ? "connection error" : e.GetType().Name;
                }

                var end = Stopwatch.GetTimestamp();
                if (failure is null)
                {
                    latency[i] = Samples.Milliseconds(end - scheduled);
                    service[i] = Samples.Milliseconds(end - began);
                }
                else
                {
                    failures.AddOrUpdate(failure, 1, (_, n) => n + 1);
                }

                long seen;
                while ((seen = Interlocked.Read(ref lastEnd)) < end && Interlocked.CompareExchange(ref lastEnd, end, seen) != seen)
                {
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(WorkAsync, CancellationToken.None)));
        var unreached = count - Math.Min(count, next);
        if (unreached > 0)
        {
            failures.AddOrUpdate("not sent (run time limit)", unreached, (_, n) => n + unreached);
        }

        var succeeded = latency.Where(double.IsFinite).ToArray();
        return new LoadRun(
            ratePerSecond, count, connections, start, interval,
            succeeded, service.Where(double.IsFinite).ToArray(),
            failures.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal),
            lastEnd == 0 ? 0 : (lastEnd - start) / (double)Stopwatch.Frequency, notSent);
    }

    /// <summary>
    /// Sleeps until the timestamp. The timer has a millisecond's resolution; waking a little late only adds to the
    /// measured latency (it never hides any), and spinning instead would take a core from the system being measured.
    /// </summary>
    private static async Task WaitUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var remaining = timestamp - Stopwatch.GetTimestamp();
        if (remaining > 0)
        {
            // Rounded up to whole milliseconds (the timer's unit), so a request is never sent before it is due.
            var milliseconds = (int)Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency);
            await Task.Delay(milliseconds, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}

/// <summary>One load run: latencies (ms, from the scheduled start) of the requests that succeeded, and what failed.</summary>
public sealed record LoadRun(
    double OfferedRate, int Scheduled, int Connections, long StartTimestamp, double IntervalTicks,
    double[] LatencyMs, double[] ServiceMs, IReadOnlyDictionary<string, int> Failures, double ElapsedSeconds, int NotSent)
{
    public int Succeeded => LatencyMs.Length;

    public int Failed => Failures.Values.Sum();

    /// <summary>Successful requests per second, from the first scheduled start to the last completion.</summary>
    public double Throughput => ElapsedSeconds > 0 ? Succeeded / ElapsedSeconds : 0;

    /// <summary>When request i was due (a Stopwatch timestamp).</summary>
    public long ScheduledAt(int index) => StartTimestamp + (long)(index * IntervalTicks);

    public double P(double percentile) => Samples.Percentile(LatencyMs, percentile);

    public string FailureSummary => Failures.Count == 0 ? "none" : string.Join(", ", Failures.Select(pair => $"{pair.Key} x{pair.Value}"));
}
