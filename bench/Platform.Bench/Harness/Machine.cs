using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Platform.Bench.Harness;

/// <summary>What the figures were measured on: cores, memory, OS and CPU.</summary>
public sealed record Machine(int Cores, double MemoryGiB, string Os, string Kernel, string Cpu, string HostName)
{
    public static Machine Read() => new(
        Environment.ProcessorCount,
        Math.Round(MemTotalKiB() / 1024.0 / 1024.0, 1),
        OsName(),
        RuntimeInformation.OSDescription,
        CpuModel(),
        Environment.MachineName);

    public override string ToString() =>
        $"{Cores} cores, {MemoryGiB:0.#} GiB, {Os}, {Cpu}";

    private static long MemTotalKiB()
    {
        var line = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static string OsName()
    {
        var line = ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        return line is null ? RuntimeInformation.OSDescription : line["PRETTY_NAME=".Length..].Trim('"');
    }

    private static string CpuModel()
    {
        var line = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
    }

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}

/// <summary>The 1, 5 and 15 minute load averages (/proc/loadavg): how busy the shared machine was around a run.</summary>
public sealed record LoadAverage(double One, double Five, double Fifteen)
{
    public static LoadAverage Read()
    {
        var parts = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ') : ["0", "0", "0"];
        return new LoadAverage(Parse(parts[0]), Parse(parts[1]), Parse(parts[2]));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{One:0.00} {Five:0.00} {Fifteen:0.00}");

    private static double Parse(string value) => double.Parse(value, CultureInfo.InvariantCulture);
}

/// <summary>Versions of what was measured: the runtime, the servers, the main libraries and the commit.</summary>
public static class Versions
{
    public static Dictionary<string, string> Read(string repositoryRoot)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["postgresql"] = Run("/usr/lib/postgresql/15/bin/postgres", "--version") ?? "not found",
            ["rabbitmq-server"] = Run("dpkg-query", "-W", "-f=${Version}", "rabbitmq-server") ?? "not found",
            ["redis-server"] = Run("redis-server", "--version")?.Split(' ').FirstOrDefault(p => p.StartsWith("v=", StringComparison.Ordinal))?[2..] ?? "not found",
            ["commit"] = Commit(repositoryRoot),
            ["build"] = typeof(Versions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "?",
        };
        foreach (var (name, type) in new (string, Type)[]
                 {
                     ("MassTransit", typeof(MassTransit.IBus)),
                     ("RabbitMQ.Client", typeof(RabbitMQ.Client.IChannel)),
                     ("Npgsql", typeof(Npgsql.NpgsqlConnection)),
                     ("EF Core", typeof(Microsoft.EntityFrameworkCore.DbContext)),
                     ("Aspire.Hosting", typeof(Aspire.Hosting.DistributedApplication)),
                 })
        {
            versions[name] = type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                ?? type.Assembly.GetName().Version?.ToString() ?? "?";
        }

        return versions;
    }

    private static string Commit(string repositoryRoot)
    {
        var commit = Run("git", "-C", repositoryRoot, "rev-parse", "--short=12", "HEAD") ?? "unknown";
        // The harness's own outputs do not make the code uncommitted: each run rewrites them, so without this every scenario
        // run after the first, before a commit, was marked as taken on changed code.
        var dirty = Run("git", "-C", repositoryRoot, "status", "--porcelain", "--untracked-files=no", "--",
            ".", ":(exclude)bench/results", ":(exclude)bench/README.md");
        return string.IsNullOrWhiteSpace(dirty) ? commit : commit + " (with uncommitted changes)";
    }

    internal static string? Run(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(10_000);
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
