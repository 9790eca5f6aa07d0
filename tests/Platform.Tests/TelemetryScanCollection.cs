namespace Platform.Tests;

/// <summary>
/// The scan of everything the run captured: not parallel with other collections, so it runs once the parallel ones have
/// left their logs, spans and metrics behind (it drives its own scenario too, so it never depends on them).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryScanCollection
{
    public const string Name = "Telemetry scan";
}
