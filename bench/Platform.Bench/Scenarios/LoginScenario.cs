using System.Diagnostics;
using Identity.Api;
using Identity.Api.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Platform.Bench.Platform;

namespace Platform.Bench.Scenarios;

/// <summary>
/// Password sign-ins at the token endpoint (through the gateway), against their floor: one PBKDF2-HMAC-SHA512 verification at
/// the configured cost, timed in this process with the hasher Identity uses. A sign-in cannot be cheaper than its hash; the
/// goal is that everything else (OpenIddict, the database, the gateway) adds at most a quarter on top.
/// </summary>
public static class LoginScenario
{
    public static async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var platform = context.RequirePlatform();
        var quick = context.Quick;
        var iterations = new CredentialOptions().HashIterations;
        var hasher = new PasswordHasher<PlatformUser>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = iterations,
        }));
        var user = new PlatformUser { UserName = "bench" };
        var hash = hasher.HashPassword(user, PlatformApi.DemoPassword);
        var cores = Environment.ProcessorCount;
        var (hashes, signInSeconds, saturationSeconds) = quick ? (5, 3, 3) : (20, 10, 10);
        result.Settings["hash"] = $"ASP.NET Core Identity v3 (PBKDF2-HMAC-SHA512), {iterations:N0} iterations (Identity:Credentials:HashIterations default), in the harness process";
        result.Settings["sign-in"] = "POST /connect/token through the gateway, password grant of platform-cli for user@a81001.demo, scope openid platform-api";

        using var client = platform.CreateClient(platform.Gateway, 2 * cores);
        for (var i = 0; i < 3; i++)
        {
            await SignInAsync(client, cancellationToken); // JIT, connections, caches
        }

        for (var run = 0; run < context.Repeats; run++)
        {
            var single = new List<double>();
            var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < hashes; i++)
            {
                var started = Stopwatch.GetTimestamp();
                if (hasher.VerifyHashedPassword(user, hash, PlatformApi.DemoPassword) == PasswordVerificationResult.Failed)
                {
                    throw new InvalidOperationException("The baseline hash did not verify.");
                }

                single.Add(Samples.Milliseconds(Stopwatch.GetTimestamp() - started));
            }

            var hashMs = Samples.Median(single);
            var hashCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalMilliseconds / hashes;
            result.FigureSet.Add("password hash", "one verification (1 thread)", "ms", hashMs);
            result.FigureSet.Add("password hash", "CPU per verification", "ms", hashCpuMs);

            // Every core hashing at once: the most verifications per second this machine can do.
            var parallelCount = hashes * cores;
            var parallel = Stopwatch.StartNew();
            Parallel.For(0, parallelCount, new ParallelOptions { MaxDegreeOfParallelism = cores }, _ => hasher.VerifyHashedPassword(user, hash, PlatformApi.DemoPassword));
            var hashesPerSecond = parallelCount / parallel.Elapsed.TotalSeconds;
            result.FigureSet.Add("password hash", $"verifications/s ({cores} threads)", "/s", hashesPerSecond);

            // One at a time, at 40% of what one connection could manage: the latency of a sign-in with nothing queued.
            var lowRate = Math.Max(0.5, 1000 / hashMs * 0.4);
            var low = await OpenLoad.RunAsync(lowRate, Math.Max(3, (int)(lowRate * signInSeconds)), 1,
                (_, ct) => SignInAsync(client, ct), TimeSpan.FromSeconds(signInSeconds * 4 + 30), cancellationToken);
            result.FigureSet.Add("sign-in", "latency p50 (1 connection)", "ms", low.P(50));
            result.FigureSet.Add("sign-in", "latency p99 (1 connection)", "ms", low.P(99));
            result.FigureSet.Add("sign-in vs hash", "p50 latency / one hash", "x", low.P(50) / hashMs);

            // Offered twice what the hashes allow, on 2 connections per core: the most sign-ins per second.
            var highRate = Math.Max(2, hashesPerSecond * 2);
            var cpuBefore = platform.CpuSeconds();
            var high = await OpenLoad.RunAsync(highRate, Math.Max(4, (int)(highRate * saturationSeconds)), 2 * cores,
                (_, ct) => SignInAsync(client, ct), TimeSpan.FromSeconds(saturationSeconds * 3 + 30), cancellationToken);
            var cpu = PlatformSession.CpuMillisecondsPer(cpuBefore, platform.CpuSeconds(), high.Succeeded);
            foreach (var (resource, ms) in cpu.Where(c => c.Value >= 0.5).OrderByDescending(c => c.Value))
            {
                result.FigureSet.Add("sign-in", $"CPU per sign-in: {resource}", "ms", ms);
            }

            result.FigureSet.Add("sign-in", "CPU per sign-in: all platform processes", "ms", cpu.Values.Sum());
            result.FigureSet.Add("sign-in vs hash", "CPU per sign-in / CPU per hash", "x", cpu.Values.Sum() / hashCpuMs);
            result.FigureSet.Add("sign-in", "sign-ins/s at saturation", "/s", high.Throughput);
            result.FigureSet.Add("sign-in", "latency p50 at saturation", "ms", high.P(50));
            result.FigureSet.Add("sign-in vs hash", "hashes/s / sign-ins/s", "x", hashesPerSecond / high.Throughput);
            result.FigureSet.Add("sign-in", "failed sign-ins", "count", low.Failed + high.Failed);
            BenchContext.Log($"login run {run + 1}: hash {hashMs:0.0} ms ({hashesPerSecond:0.0}/s on {cores}), sign-in p50 {low.P(50):0.0} ms, " +
                $"{high.Throughput:0.0} sign-ins/s; failures {low.FailureSummary} / {high.FailureSummary}");
        }

        // Account enumeration by timing: reset requests for real and unknown addresses, interleaved. The resilience suite
        // checks that both get the same answer; how long each takes is measured here, never asserted in a test.
        string[] accounts = ["user@a81001.demo", "user@b82002.demo", "manager@a81001.demo"]; // at most 3 each: under the per-account limit
        var (realAccount, unknownAccount) = (new List<double>(), new List<double>());
        for (var i = 0; i < (quick ? 3 : 9); i++)
        {
            realAccount.Add(await TimeResetRequestAsync(client, accounts[i % accounts.Length], cancellationToken));
            unknownAccount.Add(await TimeResetRequestAsync(client, $"no.such.person.{Guid.NewGuid():N}@y90001.test", cancellationToken));
        }
        result.FigureSet.Add("account enumeration", "reset request p50, real account", "ms", Samples.Median(realAccount));
        result.FigureSet.Add("account enumeration", "reset request p50, unknown account", "ms", Samples.Median(unknownAccount));

        var latencyRatio = result.FigureSet.MedianOf("sign-in vs hash", "p50 latency / one hash");
        var throughputRatio = result.FigureSet.MedianOf("sign-in vs hash", "hashes/s / sign-ins/s");
        var cpuRatio = result.FigureSet.MedianOf("sign-in vs hash", "CPU per sign-in / CPU per hash");
        result.Goals.Add(new Goal("sign-in cost", "<= 1.25x the hash cost per sign-in (CPU of every platform process)", $"{cpuRatio:0.00}x", cpuRatio <= 1.25));
        result.Goals.Add(new Goal("sign-in throughput", "<= 1.25x the hash cost per sign-in (hashes/s over sign-ins/s)", $"{throughputRatio:0.00}x", throughputRatio <= 1.25));
        result.Goals.Add(new Goal("sign-in latency", "<= 1.25x one hash (p50 at 1 connection)", $"{latencyRatio:0.00}x", latencyRatio <= 1.25));
        result.Notes.Add("The saturation throughput shares the 2 cores with the gateway, Identity and PostgreSQL, as a real sign-in does; the hash baseline has the cores to itself.");
    }

    private static async Task<double> TimeResetRequestAsync(HttpClient client, string email, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync("api/identity/password/reset-requests",
            new StringContent($$"""{"email":"{{email}}"}""", System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted) throw new InvalidOperationException($"A reset request answered {(int)response.StatusCode}.");
        return Samples.Milliseconds(Stopwatch.GetTimestamp() - started);
    }

    private static async Task<string?> SignInAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsync("connect/token", PlatformApi.PasswordGrant("user@a81001.demo"), cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
    }
}
