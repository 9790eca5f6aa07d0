using System.Globalization;

namespace Platform.Bench.Harness;

/// <summary>
/// How busy the machine's cores were during a scenario, and how much of that was not this benchmark (its own process and
/// every process it started: servers, services, DCP). Read from /proc/stat and /proc/PID/stat, so it separates other
/// people's builds and tests on a shared machine from the load the benchmark itself makes.
/// </summary>
/// <remarks>
/// Our processes are sampled while the scenario runs, not only at its start and end: a platform stopped inside the window
/// (the startup scenario starts and stops it several times) ends with its orchestrator, whose parent is init, so the CPU of
/// everything it ran vanished from our tree and was counted as other people's work.
/// </remarks>
public sealed class CpuShare : IDisposable
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(250);

    private readonly long busyAtStart;
    private readonly long totalAtStart;
    private readonly Dictionary<int, ProcessTicks> seen = [];
    private readonly Lock gate = new();
    private readonly Timer sampler;

    /// <summary>A process of ours: its own ticks and its reaped children's, when first and last seen.</summary>
    private sealed record ProcessTicks(int Parent, long OwnFirst, long ChildrenFirst, long OwnLast, long ChildrenLast, bool Gone = false, bool ReapedByOurs = false);

    private CpuShare()
    {
        (busyAtStart, totalAtStart) = ReadMachine();
        Sample(atStart: true);
        sampler = new Timer(_ => Sample(atStart: false), null, SampleEvery, SampleEvery);
    }

    public static CpuShare Start() => new();

    /// <summary>Percent of all cores busy, and percent of all cores used by processes outside this benchmark.</summary>
    public (double BusyPercent, double OthersPercent) Stop()
    {
        sampler.Dispose();
        Sample(atStart: false);
        var (busy, total) = ReadMachine();
        var elapsed = total - totalAtStart;
        if (elapsed <= 0)
        {
            return (double.NaN, double.NaN);
        }

        var busyShare = (busy - busyAtStart) * 100.0 / elapsed;
        // /proc/stat counts ticks over all cores; a process's ticks are per core as well.
        var othersShare = Math.Max(0, (busy - busyAtStart - OursSinceStart()) * 100.0 / elapsed);
        return (Math.Round(busyShare, 1), Math.Round(othersShare, 1));
    }

    public void Dispose() => sampler.Dispose();

    /// <summary>
    /// Every process of ours seen: what it used since first seen, plus what its reaped children used; a child that ended
    /// under a parent of ours is counted once (its last sample is taken back, as its parent's children count has it whole).
    /// </summary>
    private long OursSinceStart()
    {
        lock (gate)
        {
            long sum = 0;
            foreach (var process in seen.Values)
            {
                sum += process.OwnLast - process.OwnFirst + process.ChildrenLast - process.ChildrenFirst;
                if (process.ReapedByOurs) sum -= process.OwnLast - process.OwnFirst;
            }
            return sum;
        }
    }

    private void Sample(bool atStart)
    {
        var now = ReadOurProcesses();
        lock (gate)
        {
            foreach (var (pid, (parent, own, children)) in now)
            {
                seen[pid] = seen.TryGetValue(pid, out var known)
                    ? known with { OwnLast = own, ChildrenLast = children }
                    // Born during the scenario: all it used counts; present at the start: only what it used since.
                    : atStart ? new ProcessTicks(parent, own, children, own, children) : new ProcessTicks(parent, 0, 0, own, children);
            }
            foreach (var (pid, process) in seen.Where(entry => !entry.Value.Gone && !now.ContainsKey(entry.Key)).ToList())
            {
                seen[pid] = process with { Gone = true, ReapedByOurs = now.ContainsKey(process.Parent) };
            }
        }
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
    public static double OwnTreeSeconds() => ReadOurProcesses().Values.Sum(process => process.Own + process.Children) / TicksPerSecond;

    /// <summary>CPU seconds used so far by a process and its descendants, including children that already ended and were reaped.</summary>
    public static double TreeSeconds(int root) => ReadTree(root, includePlatform: false).Values.Sum(process => process.Own + process.Children) / TicksPerSecond;

    /// <summary>
    /// This process and every process it started, each with its own ticks and its reaped children's. The platform's
    /// processes are not all our descendants: the AppHost's orchestrator (DCP) detaches, and the services and servers it
    /// launches are its children. So "ours" is also: DCP started to watch this process (<c>--monitor PID</c>), and anything
    /// whose command line names this repository (services' binaries, the local servers' data folders).
    /// </summary>
    private static readonly string? Repository = FindRepository();

    private static Dictionary<int, (int Parent, long Own, long Children)> ReadOurProcesses() => ReadTree(Environment.ProcessId, includePlatform: true);

    private static Dictionary<int, (int Parent, long Own, long Children)> ReadTree(int root, bool includePlatform)
    {
        var all = new Dictionary<int, (int Parent, long Own, long Children)>();
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
                // utime stime cutime cstime are fields 14-17 of the full line (11-14 after "pid (comm) ").
                long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
                all[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), Field(11) + Field(12), Field(13) + Field(14));
                if (includePlatform && IsPlatformProcess(directory, root)) roots.Add(pid);
            }
            catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        var ours = new Dictionary<int, (int Parent, long Own, long Children)>();
        foreach (var (pid, process) in all)
        {
            for (var current = pid; current > 1; current = all.TryGetValue(current, out var up) ? up.Parent : 0)
            {
                if (roots.Contains(current))
                {
                    ours[pid] = process;
                    break;
                }
            }
        }

        return ours;
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
