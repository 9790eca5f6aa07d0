using Platform.Bench.Platform;

namespace Platform.Bench.Scenarios;

/// <summary>
/// Runs the chosen scenarios in a fixed order: messaging and expiry-scan on servers of their own, then one platform run for
/// startup, gateway, login and submissions (startup's memory under load comes from the submissions load).
/// </summary>
public sealed class BenchRun(BenchContext context)
{
    public async Task<List<string>> RunAsync(CancellationToken cancellationToken)
    {
        var failed = new List<string>();
        var options = context.Options;
        if (options.Runs("messaging")) await RunAsync("messaging", result => MessagingScenario.RunAsync(context, result, cancellationToken), failed);
        if (options.Runs("expiry-scan")) await RunAsync("expiry-scan", result => ExpiryScanScenario.RunAsync(context, result, cancellationToken), failed);

        string[] onPlatform = ["startup", "gateway", "login", "submissions"];
        if (!onPlatform.Any(options.Runs))
        {
            return failed;
        }

        ScenarioResult? startup = null;
        try
        {
            if (options.Runs("startup"))
            {
                startup = context.NewResult("startup");
                using var cpu = CpuShare.Start();
                try
                {
                    await StartupScenario.MeasureStartsAsync(context, startup, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Fail("startup", e, failed);
                    startup = null;
                }
                finally
                {
                    if (startup is not null)
                    {
                        (startup.CpuBusyPercent, startup.CpuOthersPercent) = cpu.Stop();
                    }
                }
            }

            if (context.Platform is null)
            {
                BenchContext.Log("Starting the platform (AppHost, local mode, free ports) ...");
                context.Platform = await PlatformSession.StartAsync(proxied: false, cancellationToken);
                BenchContext.Log($"Platform healthy after {context.Platform.Startup.TotalSeconds:0.0} s.");
            }

            if (options.Runs("gateway")) await RunAsync("gateway", result => GatewayScenario.RunAsync(context, result, cancellationToken), failed);
            if (options.Runs("login")) await RunAsync("login", result => LoginScenario.RunAsync(context, result, cancellationToken), failed);
            if (options.Runs("submissions")) await RunAsync("submissions", result => SubmissionsScenario.RunAsync(context, result, cancellationToken), failed);

            if (startup is not null)
            {
                await RunAsync("startup", result => StartupScenario.FinishAsync(context, result, cancellationToken), failed, startup);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Fail("platform", e, failed);
        }
        finally
        {
            if (context.Platform is not null)
            {
                BenchContext.Log("Stopping the platform ...");
                await context.Platform.DisposeAsync();
                context.Platform = null;
            }
        }

        return failed;
    }

    private async Task RunAsync(string scenario, Func<ScenarioResult, Task> run, List<string> failed, ScenarioResult? existing = null)
    {
        var result = existing ?? context.NewResult(scenario);
        BenchContext.Log($"--- {scenario} ---");
        using var cpu = CpuShare.Start();
        try
        {
            await run(result);
        }
        catch (Exception e)
        {
            Fail(scenario, e, failed);
            return;
        }

        var (busy, others) = cpu.Stop();
        if (existing is null)
        {
            (result.CpuBusyPercent, result.CpuOthersPercent) = (busy, others);
        }

        result.FinishedAt = DateTimeOffset.UtcNow;
        result.LoadAfter = LoadAverage.Read();
        if (result.TakenUnderLoad)
        {
            result.Notes.Add($"Taken under load: other processes used {result.CpuOthersPercent:0}% of the machine's cores during the run " +
                $"(load average {result.LoadBefore} before); the figures are noisier and slower than on a quiet machine.");
        }

        var path = ResultWriter.Write(result, context.Options.ResultsFolder);
        Console.WriteLine(ResultWriter.Table(result));
        BenchContext.Log($"{scenario}: written to {Path.GetRelativePath(context.Options.RepositoryRoot, path)}");
    }

    private static void Fail(string scenario, Exception e, List<string> failed)
    {
        failed.Add(scenario);
        Console.Error.WriteLine($"[{scenario}] FAILED: {e}");
    }
}
