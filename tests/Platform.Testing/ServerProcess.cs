using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Platform.Testing;

/// <summary>
/// A server script running in the foreground as a child process, with its recent output kept for error messages.
/// Stopped with SIGTERM (the scripts shut their server down cleanly on it), then by killing the process tree.
/// </summary>
internal sealed class ServerProcess
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);
    private const int SigTerm = 15;

    // Servers still running when the test host exits normally are killed rather than left holding ports.
    private static readonly ConcurrentDictionary<ServerProcess, byte> Running = new();

    private readonly Process process;
    private readonly OutputLog output = new();

    static ServerProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var server in Running.Keys)
            {
                server.KillTree();
            }
        };
    }

    private ServerProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public string Name { get; }

    public string Output => output.ToString();

    public bool HasExited => process.HasExited;

    public static ServerProcess Start(string name, string script, params IEnumerable<string> arguments) =>
        Start(name, script, new Dictionary<string, string>(), arguments);

    /// <summary>Starts the script with <paramref name="environment"/> added to this process's environment.</summary>
    public static ServerProcess Start(string name, string script, IReadOnlyDictionary<string, string> environment, params IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (variable, value) in environment)
        {
            startInfo.Environment[variable] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var server = new ServerProcess(name, process);
        process.OutputDataReceived += (_, e) => server.output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => server.output.Add(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Running.TryAdd(server, 0);
        return server;
    }

    public bool OutputContains(string text) => output.Contains(text);

    /// <summary>Polls <paramref name="isReady"/> until it answers true; throws with the server's output if the server exits or the timeout passes.</summary>
    public async Task WaitUntilReadyAsync(Func<CancellationToken, Task<bool>> isReady)
    {
        using var timeout = new CancellationTokenSource(ReadyTimeout);
        Exception? lastError = null;
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                throw new InvalidOperationException(
                    $"{Name} exited with code {process.ExitCode} before it was ready. Output:\n{Output}");
            }

            try
            {
                if (await isReady(timeout.Token))
                {
                    return;
                }
            }
            catch (Exception e) when (!timeout.IsCancellationRequested)
            {
                lastError = e;
            }
            catch (OperationCanceledException)
            {
                // The timeout fired inside the probe: reported below.
            }

            try
            {
                await Task.Delay(200, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"{Name} was not ready within {ReadyTimeout.TotalSeconds:0} s (last probe error: {lastError?.Message ?? "none"}). Output:\n{Output}",
                    lastError);
            }
        }
    }

    public async Task StopAsync()
    {
        if (!process.HasExited)
        {
            // Children the script started may outlive it if it dies badly: remember them now to sweep them later.
            var descendants = Descendants(process.Id);
            _ = Kill(process.Id, SigTerm);
            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                KillTree();
                await process.WaitForExitAsync();
            }

            foreach (var child in descendants)
            {
                KillQuietly(child);
            }
        }

        Running.TryRemove(this, out _);
        process.Dispose();
    }

    private void KillTree()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static List<Process> Descendants(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var stat in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(stat), out var childPid))
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
                var text = File.ReadAllText(Path.Combine(stat, "stat"));
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add(childPid);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        var result = new List<Process>();
        var pending = new Stack<int>([pid]);
        while (pending.TryPop(out var current))
        {
            foreach (var child in children.GetValueOrDefault(current) ?? [])
            {
                pending.Push(child);
                try
                {
                    result.Add(Process.GetProcessById(child));
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }

        return result;
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
