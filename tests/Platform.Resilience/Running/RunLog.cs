using System.Diagnostics;
using System.Globalization;
using Platform.Testing;

namespace Platform.Resilience.Running;

/// <summary>When each step of the run happened (start-up, set-up, each case), in <c>.local/resilience/run.log</c>: where the minutes go.</summary>
public static class RunLog
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private static readonly Lock Gate = new();

    public static void Write(string step)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss} +{Clock.Elapsed.TotalSeconds,6:0.0}s {step}");
        lock (Gate)
        {
            var folder = Directory.CreateDirectory(Path.Combine(RepositoryRoot.Find(), ".local", "resilience"));
            File.AppendAllLines(Path.Combine(folder.FullName, "run.log"), [line]);
        }
    }
}
