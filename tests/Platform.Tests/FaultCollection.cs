namespace Platform.Tests;

/// <summary>Tests that break a shared server (kill a service) run alone, so no other test meets the outage.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Faults";
}
