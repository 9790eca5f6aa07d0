namespace Platform.Bench.Harness;

/// <summary>
/// The command line: <c>./platform bench [scenario...] [--quick] [--readme]</c>.
/// No scenario means all of them; <c>--quick</c> makes every run tiny (CI) and writes to <c>bench/results/quick/</c>;
/// <c>--readme</c> only rewrites bench/README.md's table from the committed results.
/// </summary>
public sealed record BenchOptions(IReadOnlyList<string> Scenarios, bool Quick, bool ReadmeOnly, string RepositoryRoot, string CommandLine)
{
    public static readonly string[] AllScenarios = ["messaging", "expiry-scan", "startup", "gateway", "login", "submissions"];

    public string Mode => Quick ? "quick" : "full";

    /// <summary>Full runs write the committed results; quick runs a git-ignored folder beside them.</summary>
    public string ResultsFolder => Quick
        ? Path.Combine(RepositoryRoot, "bench", "results", "quick")
        : Path.Combine(RepositoryRoot, "bench", "results");

    /// <summary>How many times each measurement is repeated, so each figure has a median and a spread.</summary>
    public int Repeats => Quick ? 1 : 3;

    public bool Runs(string scenario) => Scenarios.Contains(scenario, StringComparer.Ordinal);

    public static BenchOptions Parse(string[] args, string repositoryRoot)
    {
        var quick = false;
        var readme = false;
        var scenarios = new List<string>();
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--quick":
                    quick = true;
                    break;
                case "--readme":
                    readme = true;
                    break;
                case "all":
                    scenarios.AddRange(AllScenarios);
                    break;
                default:
                    if (!AllScenarios.Contains(arg, StringComparer.Ordinal))
                    {
                        throw new ArgumentException($"Unknown scenario or option '{arg}'. Scenarios: {string.Join(", ", AllScenarios)}; options: --quick, --readme.");
                    }

                    scenarios.Add(arg);
                    break;
            }
        }

        // Always in the order of AllScenarios: the ones on their own servers first, then one platform run for the rest.
        var selected = scenarios.Count == 0 ? AllScenarios : AllScenarios.Where(scenarios.Contains).ToArray();
        var command = "./platform bench" + (args.Length == 0 ? "" : " " + string.Join(' ', args));
        return new BenchOptions(selected, quick, readme, repositoryRoot, command);
    }
}
