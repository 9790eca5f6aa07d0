using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Platform.Bench.Harness;

/// <summary>
/// Rewrites the generated part of bench/README.md (between the two markers) from the full-run results in bench/results/*.json:
/// one table of goals, then each scenario's figures with its date, machine, load and command. The rest of the README
/// (analysis, causes of misses, before/after of fixes) is written by hand and kept as it is.
/// </summary>
public static class ReadmeWriter
{
    public const string Begin = "<!-- results:begin - generated from bench/results/*.json by `./platform bench --readme`; edit outside the markers -->";
    public const string End = "<!-- results:end -->";

    public static void Rewrite(string repositoryRoot)
    {
        var readme = Path.Combine(repositoryRoot, "bench", "README.md");
        var results = Path.Combine(repositoryRoot, "bench", "results");
        var documents = BenchOptions.AllScenarios
            .Select(name => Path.Combine(results, $"{name}.json"))
            .Where(File.Exists)
            .Select(path => JsonDocument.Parse(File.ReadAllText(path)).RootElement)
            .ToList();

        var generated = Render(documents);
        var text = File.Exists(readme) ? File.ReadAllText(readme) : $"# Benchmarks\n\n{Begin}\n{End}\n";
        var begin = text.IndexOf("<!-- results:begin", StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            text = text.TrimEnd() + $"\n\n{Begin}\n{End}\n";
            begin = text.IndexOf("<!-- results:begin", StringComparison.Ordinal);
            end = text.IndexOf(End, StringComparison.Ordinal);
        }

        text = text[..begin] + Begin + "\n" + generated + End + text[(end + End.Length)..];
        File.WriteAllText(readme, text);
    }

    private static string Render(List<JsonElement> documents)
    {
        var text = new StringBuilder();
        if (documents.Count == 0)
        {
            text.AppendLine("No full run recorded yet: run `./platform bench`.");
            return text.ToString();
        }

        text.AppendLine();
        text.AppendLine("| scenario | goal | target | measured (median of runs) | verdict |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var document in documents)
        {
            foreach (var goal in document.GetProperty("goals").EnumerateArray())
            {
                var met = goal.GetProperty("met");
                var verdict = met.ValueKind switch { JsonValueKind.True => "met", JsonValueKind.False => "**missed**", _ => "not judged" };
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {S(document, "scenario")} | {Cell(goal, "name")} | {Cell(goal, "target")} | {Cell(goal, "measured")} | {verdict} |");
            }
        }

        foreach (var document in documents)
        {
            var machine = document.GetProperty("machine");
            var versions = document.GetProperty("versions");
            var started = document.GetProperty("startedAt").GetDateTimeOffset().ToUniversalTime();
            var underLoad = document.GetProperty("takenUnderLoad").GetBoolean();
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"### {S(document, "scenario")}");
            text.AppendLine();
            var heading = string.Concat(
                FormattableString.Invariant($"{started:yyyy-MM-dd HH:mm} UTC, `{S(document, "command")}` ({S(document, "mode")}, {document.GetProperty("repeats").GetInt32()} runs of each, "),
                FormattableString.Invariant($"{document.GetProperty("durationSeconds").GetDouble():0} s), commit {versions.GetProperty("commit").GetString()}. "),
                FormattableString.Invariant($"Machine: {machine.GetProperty("cores").GetInt32()} cores, {machine.GetProperty("memoryGiB").GetDouble():0.#} GiB, {S(machine, "os")}, {S(machine, "cpu")}. "),
                FormattableString.Invariant($"Load average {Load(document, "loadBefore")} before, {Load(document, "loadAfter")} after; cores busy {document.GetProperty("cpuBusyPercent").GetDouble():0}%, "),
                FormattableString.Invariant($"other processes {document.GetProperty("cpuOthersPercent").GetDouble():0}%"),
                (underLoad ? " - **taken under load from other work on the machine: figures are noisy**." : "."));
            text.AppendLine(heading);
            text.AppendLine();
            text.AppendLine("| case | metric | median | spread (min - max) | unit |");
            text.AppendLine("|---|---|---|---|---|");
            foreach (var figure in document.GetProperty("figures").EnumerateArray())
            {
                var runs = figure.GetProperty("runs").EnumerateArray().Select(run => run.GetDouble()).ToList();
                var spread = runs.Count < 2 ? "(1 run)" : $"{ResultWriter.Format(runs.Min())} - {ResultWriter.Format(runs.Max())}";
                var median = runs.Count == 0 ? double.NaN : Samples.Median(runs);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Cell(figure, "case")} | {Cell(figure, "metric")} | {ResultWriter.Format(median)} | {spread} | {Cell(figure, "unit")} |");
            }

            var notes = document.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ToList();
            var settings = document.GetProperty("settings").EnumerateObject().Select(p => $"{p.Name} = {p.Value.GetString()}").ToList();
            if (settings.Count > 0)
            {
                text.AppendLine();
                text.AppendLine("Settings: " + string.Join("; ", settings.Select(s => s.Replace("|", "\\|", StringComparison.Ordinal))) + ".");
            }

            foreach (var note in notes)
            {
                text.AppendLine();
                text.AppendLine(note);
            }
        }

        text.AppendLine();
        return text.ToString();
    }

    private static string S(JsonElement element, string name) => element.GetProperty(name).GetString() ?? "";

    private static string Cell(JsonElement element, string name) => S(element, name).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Load(JsonElement document, string name) =>
        document.TryGetProperty(name, out var load) && load.ValueKind == JsonValueKind.Object
            ? string.Create(CultureInfo.InvariantCulture, $"{load.GetProperty("one").GetDouble():0.00}")
            : "-";
}
