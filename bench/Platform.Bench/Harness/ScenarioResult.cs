namespace Platform.Bench.Harness;

/// <summary>Everything one scenario run records: bench/results/&lt;scenario&gt;.json.</summary>
public sealed class ScenarioResult
{
    public required string Scenario { get; init; }

    public required string Mode { get; init; }

    public required string Command { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; set; }

    public double DurationSeconds => Math.Round((FinishedAt - StartedAt).TotalSeconds, 1);

    public required Machine Machine { get; init; }

    public required Dictionary<string, string> Versions { get; init; }

    /// <summary>Load averages just before and just after the scenario, and whether the machine was busy with other work.</summary>
    public required LoadAverage LoadBefore { get; init; }

    public LoadAverage? LoadAfter { get; set; }

    /// <summary>Percent of all cores busy during the scenario, whoever used them.</summary>
    public double CpuBusyPercent { get; set; }

    /// <summary>Percent of all cores used by processes this benchmark did not start (other people's builds and tests).</summary>
    public double CpuOthersPercent { get; set; }

    /// <summary>
    /// Other work took more than a fifth of a core on average. The load average is recorded but does not decide: it counts
    /// the benchmark's own platform starting just before, which is not someone else's work.
    /// </summary>
    public bool TakenUnderLoad => CpuOthersPercent > 100.0 / Machine.Cores / 5;

    public required int Repeats { get; init; }

    /// <summary>How the run was set up: rates, durations, connections, configuration overrides.</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    public FigureSet FigureSet { get; } = new();

    public IReadOnlyList<Figure> Figures => FigureSet.All;

    public List<Goal> Goals { get; } = [];

    public List<string> Notes { get; } = [];
}
