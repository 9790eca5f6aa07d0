using System.Globalization;

namespace Platform.Bench.Platform;

/// <summary>
/// Resident memory (RSS) of the platform's service processes, read from /proc. A resource's process id is the launcher
/// (<c>dotnet run</c>); the service is a descendant whose command line names its assembly.
/// </summary>
public static class ServiceMemory
{
    public static double? ResidentMiB(int launcherPid, string assemblyName) => Resident(launcherPid, assemblyName)?.TotalMiB;

    /// <summary>
    /// What the service's RSS is made of (/proc/PID/status): anonymous pages (the GC heap and native allocations), pages of
    /// mapped files (assemblies and native libraries, shared with every process that maps them) and shared memory (on
    /// Linux the runtime maps JIT-compiled code and stubs twice through a memfd, W^X).
    /// </summary>
    public static ResidentParts? Resident(int launcherPid, string assemblyName)
    {
        var candidates = Tree(launcherPid)
            .Select(pid => (Pid: pid, CommandLine: CommandLine(pid), Rss: RssKiB(pid)))
            .Where(p => p.Rss > 0)
            .ToList();
        var service = candidates
            .Where(p => p.CommandLine.Contains($"{assemblyName}.dll", StringComparison.Ordinal)
                || p.CommandLine.Split('\0').FirstOrDefault()?.EndsWith($"/{assemblyName}", StringComparison.Ordinal) == true)
            .OrderByDescending(p => p.Rss)
            .FirstOrDefault();
        if (service.Rss <= 0) return null;
        var status = Status(service.Pid);
        return new ResidentParts(service.Rss / 1024.0, status.GetValueOrDefault("RssAnon") / 1024.0,
            status.GetValueOrDefault("RssFile") / 1024.0, status.GetValueOrDefault("RssShmem") / 1024.0);
    }

    /// <summary>The process and all its descendants.</summary>
    public static List<int> Tree(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var text = File.ReadAllText(Path.Combine(directory, "stat"));
                var parent = int.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add(pid);
            }
            catch (Exception e) when (e is IOException or FormatException)
            {
                // Gone while we looked.
            }
        }

        var result = new List<int> { root };
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out var current))
        {
            foreach (var child in children.GetValueOrDefault(current) ?? [])
            {
                result.Add(child);
                pending.Push(child);
            }
        }

        return result;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static long RssKiB(int pid) => Status(pid).GetValueOrDefault("VmRSS");

    /// <summary>The kB figures of /proc/PID/status (VmRSS, RssAnon, RssFile, RssShmem ...); empty when the process is gone.</summary>
    private static Dictionary<string, long> Status(int pid)
    {
        var figures = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries); // "VmRSS:\t  226880 kB"
                if (parts.Length == 3 && parts[2] == "kB" && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var kib))
                {
                    figures[parts[0].TrimEnd(':')] = kib;
                }
            }
        }
        catch (IOException)
        {
        }

        return figures;
    }
}

/// <summary>A process's RSS and its parts, in MiB.</summary>
public sealed record ResidentParts(double TotalMiB, double AnonymousMiB, double FilesMiB, double SharedMiB);
