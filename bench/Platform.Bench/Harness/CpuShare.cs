using System.Globalization;

namespace Platform.Bench.Harness;

/// <summary>
/// How busy the machine's cores were during a scenario, and how much of that was not this benchmark (its own process and
/// every process it started: servers, services, DCP). Read from /proc/stat and /proc/PID/stat, so it separates other
/// people's builds and tests on a shared machine from the load the benchmark itself makes.
/// </summary>
public sealed class CpuShare
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    private readonly long busyAtStart;
    private readonly long totalAtStart;
    private readonly long oursAtStart;

    private CpuShare()
    {
        (busyAtStart, totalAtStart) = ReadMachine();
        oursAtStart = ReadOwnTree();
    }

    public static CpuShare Start() => new();

    /// <summary>Percent of all cores busy, and percent of all cores used by processes outside this benchmark.</summary>
    public (double BusyPercent, double OthersPercent) Stop()
    {
        var (busy, total) = ReadMachine();
        var ours = ReadOwnTree() - oursAtStart;
        var elapsed = total - totalAtStart;
        if (elapsed <= 0)
        {
            return (double.NaN, double.NaN);
        }

        var busyShare = (busy - busyAtStart) * 100.0 / elapsed;
        // /proc/stat counts ticks over all cores; a process's ticks are per core as well.
        var othersShare = Math.Max(0, (busy - busyAtStart - ours) * 100.0 / elapsed);
        return (Math.Round(busyShare, 1), Math.Round(othersShare, 1));
    }

    private static (long Busy, long Total) ReadMachine()
    {
        if (!File.Exists("/proc/stat"))
        {
            return (0, 0);
        }

        // cpu  user nice system idle iowait irq softirq steal guest guest_nice
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(value => long.Parse(value, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Sum();
        return (total - idle, total);
    }

    /// <summary>CPU seconds used so far by this process and everything it started (servers, services), on all cores.</summary>
    public static double OwnTreeSeconds() => ReadOwnTree() / TicksPerSecond;

    /// <summary>CPU seconds used so far by a process and its descendants, including children that already ended and were reaped.</summary>
    public static double TreeSeconds(int root) => ReadTree(root) / TicksPerSecond;

    /// <summary>
    /// CPU ticks of this process and of every process it started, including children that already ended and were reaped.
    /// The platform's processes are not all our descendants: the AppHost's orchestrator (DCP) detaches, and the services and
    /// servers it launches are its children. So "ours" is also: DCP started to watch this process (<c>--monitor PID</c>),
    /// and anything whose command line names this repository (services' binaries, the local servers' data folders).
    /// </summary>
    private static long ReadOwnTree() => ReadTree(Environment.ProcessId, includePlatform: true);

    private static readonly string? Repository = FindRepository();

    private static long ReadTree(int root, bool includePlatform = false)
    {
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        var roots = new HashSet<int> { root };
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var text = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                // utime stime cutime cstime are fields 14-17 of the full line (11-14 after "pid (comm) ").
                ticks[pid] = Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
                if (includePlatform && IsPlatformProcess(directory, root)) roots.Add(pid);
            }
            catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        long sum = 0;
        foreach (var (pid, value) in ticks)
        {
            for (var current = pid; current > 1; current = parents.GetValueOrDefault(current))
            {
                if (roots.Contains(current))
                {
                    sum += value;
                    break;
                }
            }
        }

        return sum;
    }

    private static bool IsPlatformProcess(string procDirectory, int root)
    {
        // Arguments are NUL-separated.
        var arguments = File.ReadAllText(Path.Combine(procDirectory, "cmdline")).Split('\0');
        for (var i = 0; i < arguments.Length; i++)
        {
            if (arguments[i] == "--monitor" && i + 1 < arguments.Length && arguments[i + 1] == root.ToString(CultureInfo.InvariantCulture)) return true;
            if (Repository is not null && arguments[i].StartsWith(Repository, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static string? FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Platform.sln"))) return directory.FullName + Path.DirectorySeparatorChar;
        }
        return null;
    }
}
