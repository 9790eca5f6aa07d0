using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Bench.Harness;

/// <summary>Writes a scenario's JSON (bench/results/&lt;scenario&gt;.json, or results/quick/ for --quick) and prints its table.</summary>
public static class ResultWriter
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write(ScenarioResult result, string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{result.Scenario}.json");
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(result, Json) + "\n");
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    public static string Table(ScenarioResult result)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"== {result.Scenario} ({result.Mode}, {result.Repeats} run{(result.Repeats == 1 ? "" : "s")} each) ==");
        text.AppendLine(CultureInfo.InvariantCulture, $"   {result.Machine}; load {result.LoadBefore} -> {result.LoadAfter}; " +
            $"cores busy {result.CpuBusyPercent:0}%, other processes {result.CpuOthersPercent:0}%{(result.TakenUnderLoad ? " (TAKEN UNDER LOAD)" : "")}");
        var rows = result.Figures.Select(f => new[] { f.Case, f.Metric, Format(f.Median), Spread(f), f.Unit }).ToList();
        AppendColumns(text, ["case", "metric", "median", "spread (min-max)", "unit"], rows);
        if (result.Goals.Count > 0)
        {
            text.AppendLine();
            AppendColumns(text, ["goal", "target", "measured", "verdict"],
                [.. result.Goals.Select(g => new[] { g.Name, g.Target, g.Measured, g.Verdict.ToUpperInvariant() })]);
        }

        foreach (var note in result.Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"   note: {note}");
        }

        return text.ToString();
    }

    public static string Format(double value) => double.IsFinite(value)
        ? Math.Abs(value) >= 100 ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 10 ? value.ToString("0.0", CultureInfo.InvariantCulture)
        : value.ToString("0.00", CultureInfo.InvariantCulture)
        : "-";

    public static string Spread(Figure figure) => figure.Runs.Count < 2 ? "(1 run)" : $"{Format(figure.Min)} - {Format(figure.Max)}";

    private static void AppendColumns(StringBuilder text, string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        void Line(string[] cells) => text.AppendLine("   " + string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        Line(header);
        Line([.. widths.Select(w => new string('-', w))]);
        rows.ForEach(Line);
    }
}
