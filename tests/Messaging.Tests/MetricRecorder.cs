using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Tests;

/// <summary>Records what one host's "Platform" instruments measure (other hosts in this test run have their own meter factory).</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, string?> Tags)> measurements = new();

    public MetricRecorder(IServiceProvider services)
    {
        var meters = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Platform" && instrument.Meter.Scope == meters) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    /// <summary>The sum of what <paramref name="name"/> counted with every given tag value.</summary>
    public double Sum(string name, params (string Key, string Value)[] tags) =>
        Matching(name, tags).Sum(m => m.Value);

    /// <summary>The latest value an observable gauge reported with the given tags, after asking it now; null when none.</summary>
    public double? Observe(string name, params (string Key, string Value)[] tags)
    {
        listener.RecordObservableInstruments();
        return Matching(name, tags).Select(m => (double?)m.Value).LastOrDefault();
    }

    public void Dispose() => listener.Dispose();

    private IEnumerable<(string Name, double Value, Dictionary<string, string?> Tags)> Matching(string name, (string Key, string Value)[] tags) =>
        measurements.Where(m => m.Name == name && tags.All(t => m.Tags.GetValueOrDefault(t.Key) == t.Value));

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags) copy[tag.Key] = tag.Value?.ToString();
        measurements.Enqueue((instrument.Name, value, copy));
    }
}
