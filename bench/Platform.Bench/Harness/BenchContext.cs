using Platform.Bench.Platform;

namespace Platform.Bench.Harness;

/// <summary>What the scenarios of one harness run share: the options, the machine facts and the running platform.</summary>
public sealed class BenchContext(BenchOptions options)
{
    public BenchOptions Options { get; } = options;

    public Machine Machine { get; } = Machine.Read();

    public Dictionary<string, string> Versions { get; } = Harness.Versions.Read(options.RepositoryRoot);

    /// <summary>The platform the startup, gateway, login and submissions scenarios run against (started once per harness run).</summary>
    public PlatformSession? Platform { get; set; }

    public PlatformSession RequirePlatform() => Platform ?? throw new InvalidOperationException("The platform is not running.");

    /// <summary>Peak RSS per service seen during the submissions scenario's load, for the startup scenario's memory figures.</summary>
    public IReadOnlyDictionary<string, ResidentParts>? PeakMemoryUnderLoad { get; set; }

    public int Repeats => Options.Repeats;

    public bool Quick => Options.Quick;

    public ScenarioResult NewResult(string scenario) => new()
    {
        Scenario = scenario,
        Mode = Options.Mode,
        Command = Options.CommandLine,
        StartedAt = DateTimeOffset.UtcNow,
        Machine = Machine,
        Versions = Versions,
        LoadBefore = LoadAverage.Read(),
        Repeats = Options.Repeats,
    };

    public static void Log(string message) =>
        Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
