using System.Text.Json.Serialization;

namespace Platform.Bench.Harness;

/// <summary>
/// One measured quantity (a case and a metric, e.g. "gateway" / "p50 at 1 connection") with the value of every repeated run,
/// summarised as the median and the spread (min to max) over the runs.
/// </summary>
public sealed class Figure(string @case, string metric, string unit)
{
    public string Case { get; } = @case;

    public string Metric { get; } = metric;

    public string Unit { get; } = unit;

    public List<double> Runs { get; } = [];

    public double Median => Samples.Median(Runs);

    public double Min => Runs.Count == 0 ? double.NaN : Runs.Min();

    public double Max => Runs.Count == 0 ? double.NaN : Runs.Max();

    /// <summary>(max - min) / median, in percent: how far apart the repeated runs were.</summary>
    public double SpreadPercent => Runs.Count < 2 || Median == 0 ? 0 : (Max - Min) / Math.Abs(Median) * 100;
}

/// <summary>The figures of one scenario, in the order they were first added.</summary>
public sealed class FigureSet
{
    private readonly List<Figure> figures = [];

    public IReadOnlyList<Figure> All => figures;

    /// <summary>Adds one run's value; NaN or infinite values (nothing measured) are skipped.</summary>
    public void Add(string @case, string metric, string unit, double value)
    {
        var figure = figures.FirstOrDefault(f => f.Case == @case && f.Metric == metric);
        if (figure is null)
        {
            figure = new Figure(@case, metric, unit);
            figures.Add(figure);
        }

        if (double.IsFinite(value))
        {
            figure.Runs.Add(Math.Round(value, 4));
        }
    }

    public Figure? Find(string @case, string metric) => figures.FirstOrDefault(f => f.Case == @case && f.Metric == metric);

    public double MedianOf(string @case, string metric) => Find(@case, metric)?.Median ?? double.NaN;
}

/// <summary>A goal from issue 8 and whether this run met it; <see cref="Met"/> is null when it could not be judged.</summary>
public sealed record Goal(string Name, string Target, string Measured, bool? Met, string? Note = null)
{
    [JsonIgnore]
    public string Verdict => Met switch { true => "met", false => "missed", null => "not judged" };
}
