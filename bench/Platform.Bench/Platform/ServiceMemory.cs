using System.Globalization;

namespace Platform.Bench.Platform;

/// <summary>
/// Resident memory (RSS) of the platform's service processes, read from /proc. A resource's process id is the launcher
/// (<c>dotnet run</c>); the service is a descendant whose command line names its assembly.
/// </summary>
public static class ServiceMemory
{
    public static double? ResidentMiB(int launcherPid, string assemblyName)
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
        return service.Rss > 0 ? service.Rss / 1024.0 : null;
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

    private static long RssKiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
