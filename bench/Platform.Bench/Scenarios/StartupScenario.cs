using Platform.Bench.Platform;

namespace Platform.Bench.Scenarios;

/// <summary>
/// Time from starting the AppHost (already built) to every resource healthy, repeated on fresh data folders; then each
/// service's resident memory idle and at its peak under the submissions load. The last start stays up for the
/// gateway, login and submissions scenarios.
/// </summary>
public static class StartupScenario
{
    private const double MegabytesPerMiB = 1.048576;

    public static async Task MeasureStartsAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        result.Settings["start"] = "DistributedApplicationTestingBuilder over the real AppHost (what ./platform run starts, after its build), local mode, "
            + "fresh data folder and free ports each time, until every resource (servers, databases, services, gateway) reports healthy";
        result.Settings["platform"] = string.Join(", ", PlatformSession.Overrides.Select(o => $"{o.Key}={o.Value}"));
        for (var run = 0; run < context.Repeats; run++)
        {
            BenchContext.Log($"startup: start {run + 1} of {context.Repeats} ...");
            var session = await PlatformSession.StartAsync(proxied: false, cancellationToken);
            result.FigureSet.Add("platform", "start to all healthy", "s", session.Startup.TotalSeconds);
            foreach (var (resource, seconds) in session.HealthyAfterSeconds.OrderBy(p => p.Value))
            {
                result.FigureSet.Add(resource, "healthy after", "s", seconds);
            }

            BenchContext.Log($"startup: all healthy after {session.Startup.TotalSeconds:0.0} s");
            if (run < context.Repeats - 1)
            {
                await session.DisposeAsync();
            }
            else
            {
                context.Platform = session;
            }
        }

        // Idle: settled after start-up work (migrations, demo data, the first expiry scan), before any load.
        await Task.Delay(TimeSpan.FromSeconds(context.Quick ? 3 : 15), cancellationToken);
        var samples = new List<Dictionary<string, ResidentParts>>();
        for (var i = 0; i < 3; i++)
        {
            samples.Add(context.RequirePlatform().ResidentMemoryParts());
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        foreach (var service in PlatformSession.Services)
        {
            var values = samples.Where(s => s.ContainsKey(service)).Select(s => s[service]).ToList();
            double Median(Func<ResidentParts, double> part) => values.Count == 0 ? double.NaN : Samples.Median(values.Select(part).ToList()) * MegabytesPerMiB;
            result.FigureSet.Add(service, "RSS idle", "MB", Median(v => v.TotalMiB));
            result.FigureSet.Add(service, "RSS idle: anonymous (GC heap, native allocations)", "MB", Median(v => v.AnonymousMiB));
            result.FigureSet.Add(service, "RSS idle: mapped files (assemblies, native libraries; shared)", "MB", Median(v => v.FilesMiB));
            result.FigureSet.Add(service, "RSS idle: shared memory (JIT-compiled code and stubs, mapped twice)", "MB", Median(v => v.SharedMiB));
        }
    }

    public static async Task FinishAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var peak = context.PeakMemoryUnderLoad;
        if (peak is null)
        {
            // The submissions scenario did not run in this harness run: make a short load of its own to read the peaks.
            BenchContext.Log("startup: no submissions load in this run; running a short one for the memory figures ...");
            var probe = context.NewResult("submissions");
            await SubmissionsScenario.RunAsync(context, probe, cancellationToken);
            peak = context.PeakMemoryUnderLoad ?? new Dictionary<string, ResidentParts>();
        }

        foreach (var service in PlatformSession.Services)
        {
            var parts = peak.GetValueOrDefault(service);
            result.FigureSet.Add(service, "RSS peak under the submissions load", "MB", parts is null ? double.NaN : parts.TotalMiB * MegabytesPerMiB);
            if (parts is null) continue;
            result.FigureSet.Add(service, "RSS peak: anonymous (GC heap, native allocations)", "MB", parts.AnonymousMiB * MegabytesPerMiB);
            result.FigureSet.Add(service, "RSS peak: mapped files (assemblies, native libraries; shared)", "MB", parts.FilesMiB * MegabytesPerMiB);
            result.FigureSet.Add(service, "RSS peak: shared memory (JIT-compiled code and stubs, mapped twice)", "MB", parts.SharedMiB * MegabytesPerMiB);
        }

        var start = result.FigureSet.MedianOf("platform", "start to all healthy");
        result.Goals.Add(new Goal("start-up", "<= 60 s to every resource healthy (after the first build)", $"{start:0.0} s", start <= 60));
        var heaviest = PlatformSession.Services
            .Select(s => (Service: s, Mb: result.FigureSet.MedianOf(s, "RSS peak under the submissions load")))
            .Where(s => double.IsFinite(s.Mb))
            .OrderByDescending(s => s.Mb)
            .ToList();
        result.Goals.Add(heaviest.Count == 0
            ? new Goal("memory", "each service <= 200 MB RSS under load", "no service process found", null)
            : new Goal("memory", "each service <= 200 MB RSS under load", $"largest: {heaviest[0].Service} {heaviest[0].Mb:0} MB", heaviest.All(s => s.Mb <= 200)));
        result.Notes.Add("Start-up runs the services with `dotnet run` from their build output, as ./platform run does; it excludes the build itself and ./platform's setup check.");
    }
}
