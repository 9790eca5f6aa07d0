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
        result.Settings["request"] = "GET /api/submissions/{id} with a practice user's bearer token (validated by the gateway and again by Submissions)";
        result.Settings["platform"] = $"AppHost local mode, services on their own ports (DCP proxies off), gateway rate limits raised: {string.Join(", ", PlatformSession.Overrides.Select(o => $"{o.Key}={o.Value}"))}";

        using var setupClient = platform.CreateClient(platform.Gateway, 4);
        var api = new PlatformApi(setupClient);
        var token = await api.SignInAsync("user@a81001.demo", cancellationToken);
        var path = await CreateSubmissionAsync(api, token, cancellationToken);
        BenchContext.Log($"gateway: reading {path}");

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
        var added = result.FigureSet.MedianOf("gateway vs direct", "added p50 at 1 connection (service time)");
        result.Goals.Add(new Goal("gateway throughput", ">= 0.8x direct", $"{ratio:0.00}x ({result.FigureSet.MedianOf("gateway", "throughput"):0} vs {result.FigureSet.MedianOf("direct", "throughput"):0} req/s)", ratio >= 0.8));
        result.Goals.Add(new Goal("gateway added latency", "<= 0.5 ms added p50 at 1 connection", $"{added:0.00} ms", added <= 0.5));
        result.Notes.Add("CPU per request is each process tree's CPU time (all cores) during the saturation run divided by the requests served: "
            + "less disturbed by other work on a shared machine than the wall-clock figures.");
        result.Notes.Add("The load generator runs on the same 2 cores as the services, so at saturation it competes with them for CPU; both cases pay that equally.");
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
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (await GetAsync(client, path, token, cancellationToken) is { } failure)
            {
                throw new InvalidOperationException($"GET {client.BaseAddress}{path} answered {failure} during the warm-up.");
            }

            if (i >= 100)
            {
                times.Add(Samples.Milliseconds(System.Diagnostics.Stopwatch.GetTimestamp() - started));
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
