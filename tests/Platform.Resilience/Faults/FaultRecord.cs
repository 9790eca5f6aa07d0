using Platform.Testing;

namespace Platform.Resilience.Faults;

/// <summary>Keeps each case's figures in <c>.local/resilience/</c> (git-ignored), where docs/resilience.md takes them from.</summary>
public static class FaultRecord
{
    public static void Write(CaseReport report)
    {
        var folder = Directory.CreateDirectory(Path.Combine(RepositoryRoot.Find(), ".local", "resilience"));
        File.WriteAllText(Path.Combine(folder.FullName, $"{report.Name}.txt"), report.Summary());
        TestContext.Current.TestOutputHelper?.WriteLine(report.Summary());
        Running.RunLog.Write($"case {report.Name}: {(report.Passed ? "passed" : "FAILED")} in {report.Duration.TotalSeconds:0} s");
    }
}
