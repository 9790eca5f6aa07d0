using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Platform.Bench.Platform;

namespace Platform.Bench.Scenarios;

/// <summary>
/// An authenticated <c>GET /api/submissions/{id}</c> through the gateway, against the same request straight to the
/// Submissions service. Two loads per case and run: one connection at a modest fixed rate (latency: what the gateway adds),
/// and many connections offered more than either can serve (throughput: the most each completes per second).
/// </summary>
public static class GatewayScenario
{
    public static async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var platform = context.RequirePlatform();
        var quick = context.Quick;
        var latencySeconds = quick ? 1 : 8;
        var (throughputRate, throughputSeconds, connections) = quick ? (3000, 1, 16) : (6000, 8, 32);
        result.Settings["one connection"] = $"open model for {latencySeconds} s at a third of what one connection serves (from the warm-up's service time), at most 200/s";
        result.Settings["throughput"] = $"{throughputRate}/s offered for {throughputSeconds} s on {connections} connections (more than either serves); requests not yet sent when the window closes are not counted";
        result.Settings["in turns"] = $"direct and gateway GETs one after the other for {latencySeconds} s on one connection each, which goes first alternating; the added latency goal compares their medians";
        result.Settings["request"] = "GET /api/submissions/{id} with a practice user's bearer token (validated by the gateway and again by Submissions)";
        result.Settings["platform"] = $"AppHost local mode, services on their own ports (DCP proxies off), gateway rate limits raised: {string.Join(", ", PlatformSession.Overrides.Select(o => $"{o.Key}={o.Value}"))}";

        using var setupClient = platform.CreateClient(platform.Gateway, 4);
        var api = new PlatformApi(setupClient);
        var token = await api.SignInAsync("user@a81001.demo", cancellationToken);
        var path = await CreateSubmissionAsync(api, token, cancellationToken);
        BenchContext.Log($"gateway: reading {path}");

        // Without it the first run met code still JIT-compiled at tier 0 (its 1-connection service times were 2-4x the
        // later runs'), and its figures counted in the medians.
        var warmUpSeconds = quick ? 1 : 5;
        result.Settings["warm-up"] = $"before the first run, each case saturated for {warmUpSeconds} s (not recorded)";
        foreach (var target in new[] { platform.Submissions, platform.Gateway })
        {
            using var warmUp = platform.CreateClient(target, connections);
            await LoadAsync(warmUp, path, token, throughputRate, warmUpSeconds, connections, cancellationToken, saturate: true);
        }

        for (var run = 0; run < context.Repeats; run++)
        {
            // Alternate the order, so a drift in the machine's load does not always favour the same case.
            var cases = run % 2 == 0 ? new[] { ("direct", platform.Submissions), ("gateway", platform.Gateway) } : new[] { ("gateway", platform.Gateway), ("direct", platform.Submissions) };
            foreach (var (name, target) in cases)
            {
                using var one = platform.CreateClient(target, 1);
                var warm = await WarmUpAsync(one, path, token, cancellationToken);
                var latencyRate = (int)Math.Clamp(1000 / warm / 3, 10, 200);
                result.FigureSet.Add(name, "1 connection: rate offered", "/s", latencyRate);
                var single = await LoadAsync(one, path, token, latencyRate, latencySeconds, 1, cancellationToken);
                Record(result, name, "1 connection", single);
                result.FigureSet.Add(name, "1 connection: service time p50", "ms", Samples.Median(single.ServiceMs));

                using var many = platform.CreateClient(target, connections);
                await WarmUpAsync(many, path, token, cancellationToken);
                var cpuBefore = platform.CpuSeconds();
                var saturated = await LoadAsync(many, path, token, throughputRate, throughputSeconds, connections, cancellationToken, saturate: true);
                var cpu = PlatformSession.CpuMillisecondsPer(cpuBefore, platform.CpuSeconds(), saturated.Succeeded);
                foreach (var resource in new[] { "gateway", "submissions", "identity", "redis", "postgres" })
                {
                    if (cpu.TryGetValue(resource, out var ms) && (resource is "gateway" or "submissions" || ms >= 0.01))
                    {
                        result.FigureSet.Add(name, $"CPU per request: {resource}", "ms", ms);
                    }
                }

                result.FigureSet.Add(name, "CPU per request: all platform processes", "ms", cpu.Values.Sum());
                result.FigureSet.Add(name, "throughput", "req/s", saturated.Throughput);
                result.FigureSet.Add(name, $"service time p50 at saturation ({connections} connections)", "ms", Samples.Median(saturated.ServiceMs));
                result.FigureSet.Add(name, $"service time p99 at saturation ({connections} connections)", "ms", Samples.Percentile(saturated.ServiceMs, 99));
                result.FigureSet.Add(name, "failed requests", "count", single.Failed + saturated.Failed);
                BenchContext.Log($"gateway run {run + 1}, {name}: 1 conn p50 {single.P(50):0.00} ms (service {Samples.Median(single.ServiceMs):0.00}), " +
                    $"{saturated.Throughput:0} req/s at saturation; failures: {single.FailureSummary} / {saturated.FailureSummary}");
            }

            using (var directClient = platform.CreateClient(platform.Submissions, 1))
            using (var gatewayClient = platform.CreateClient(platform.Gateway, 1))
            {
                var (directMs, gatewayMs) = await InTurnsAsync(directClient, gatewayClient, path, token, latencySeconds, cancellationToken);
                result.FigureSet.Add("gateway vs direct", InTurns, "ms", Samples.Median(gatewayMs) - Samples.Median(directMs));
                BenchContext.Log($"gateway run {run + 1}, in turns: {gatewayMs.Count} pairs, p50 direct {Samples.Median(directMs):0.00} ms, gateway {Samples.Median(gatewayMs):0.00} ms");
            }

            var figures = result.FigureSet;
            var direct = figures.Find("direct", "throughput")!.Runs[^1];
            var gateway = figures.Find("gateway", "throughput")!.Runs[^1];
            figures.Add("gateway vs direct", "throughput ratio", "x", gateway / direct);
            figures.Add("gateway vs direct", "added p50 at 1 connection (service time)", "ms",
                figures.Find("gateway", "1 connection: service time p50")!.Runs[^1] - figures.Find("direct", "1 connection: service time p50")!.Runs[^1]);
            figures.Add("gateway vs direct", "added p50 at 1 connection (from scheduled start)", "ms",
                figures.Find("gateway", "1 connection: p50")!.Runs[^1] - figures.Find("direct", "1 connection: p50")!.Runs[^1]);
        }

        var ratio = result.FigureSet.MedianOf("gateway vs direct", "throughput ratio");
        var added = result.FigureSet.MedianOf("gateway vs direct", InTurns);
        result.Goals.Add(new Goal("gateway throughput", ">= 0.8x direct", $"{ratio:0.00}x ({result.FigureSet.MedianOf("gateway", "throughput"):0} vs {result.FigureSet.MedianOf("direct", "throughput"):0} req/s)", ratio >= 0.8));
        result.Goals.Add(new Goal("gateway added latency", "<= 0.5 ms added p50 at 1 connection", $"{added:0.00} ms", added <= 0.5));
        result.Notes.Add("CPU per request is each process tree's CPU time (all cores) during the saturation run divided by the requests served: "
            + "less disturbed by other work on a shared machine than the wall-clock figures.");
        result.Notes.Add($"The goal's added latency is \"{InTurns}\": the two cases measured apart, seconds from each other, differed from run to run by more "
            + "than the gateway adds (service time p50 1.6-4.9 ms direct in one run of three), so the machine's other activity decided the figure.");
        result.Notes.Add("The load generator runs on the same 2 cores as the services, so at saturation it competes with them for CPU; both cases pay that equally.");
    }

    private const string InTurns = "added p50 at 1 connection, requests in turns (service time)";

    /// <summary>
    /// Direct and gateway requests in turns, one at a time on a connection each (which goes first alternates): whatever
    /// else the machine does in those seconds slows both alike. Returns each case's service times (ms).
    /// </summary>
    private static async Task<(List<double> Direct, List<double> Gateway)> InTurnsAsync(
        HttpClient direct, HttpClient gateway, string path, string token, int seconds, CancellationToken cancellationToken)
    {
        await WarmUpAsync(direct, path, token, cancellationToken);
        await WarmUpAsync(gateway, path, token, cancellationToken);
        var times = (Direct: new List<double>(), Gateway: new List<double>());
        var until = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        for (var pair = 0; Stopwatch.GetTimestamp() < until; pair++)
        {
            foreach (var toGateway in pair % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var started = Stopwatch.GetTimestamp();
                if (await GetAsync(toGateway ? gateway : direct, path, token, cancellationToken) is { } failure)
                {
                    throw new InvalidOperationException($"GET {path} {(toGateway ? "through the gateway" : "direct")} answered {failure}.");
                }
                (toGateway ? times.Gateway : times.Direct).Add(Samples.Milliseconds(Stopwatch.GetTimestamp() - started));
            }
        }

        return times;
    }

    private static void Record(ScenarioResult result, string name, string label, LoadRun run)
    {
        result.FigureSet.Add(name, $"{label}: p50", "ms", run.P(50));
        result.FigureSet.Add(name, $"{label}: p90", "ms", run.P(90));
        result.FigureSet.Add(name, $"{label}: p99", "ms", run.P(99));
    }

    private static Task<LoadRun> LoadAsync(HttpClient client, string path, string token, int rate, int seconds, int connections,
        CancellationToken cancellationToken, bool saturate = false) =>
        OpenLoad.RunAsync(rate, rate * seconds, connections, (_, ct) => GetAsync(client, path, token, ct),
            TimeSpan.FromSeconds(seconds * 3 + 30), cancellationToken, saturate ? TimeSpan.FromSeconds(seconds) : null);

    private static async Task<string?> GetAsync(HttpClient client, string path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK ? null : $"HTTP {(int)response.StatusCode}";
    }

    /// <summary>200 requests one after another (JIT, connections, token caches); returns the median time of the last 100 (ms).</summary>
    private static async Task<double> WarmUpAsync(HttpClient client, string path, string token, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var started = Stopwatch.GetTimestamp();
            if (await GetAsync(client, path, token, cancellationToken) is { } failure)
            {
                throw new InvalidOperationException($"GET {client.BaseAddress}{path} answered {failure} during the warm-up.");
            }

            if (i >= 100)
            {
                times.Add(Samples.Milliseconds(Stopwatch.GetTimestamp() - started));
            }
        }

        return Samples.Median(times);
    }

    /// <summary>One submission of the demo practice in the first open item-service period, as a practice user sees it.</summary>
    private static async Task<string> CreateSubmissionAsync(PlatformApi api, string token, CancellationToken cancellationToken)
    {
        var slots = await Catalogue.AutomaticSlotsAsync(api, token, cancellationToken);
        var slot = slots[0];
        using var response = await api.SendAsync(HttpMethod.Post, "api/submissions", token,
            slot.Body("A81001", 120), cancellationToken, Guid.NewGuid().ToString());
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Submitting answered {(int)response.StatusCode}: {body}");
        }

        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
        return string.Create(CultureInfo.InvariantCulture, $"api/submissions/{id}");
    }
}
