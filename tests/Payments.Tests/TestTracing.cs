using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Payments.Tests;

/// <summary>Makes activities record for the test assembly, as OpenTelemetry does in a running service.</summary>
public static class TestTracing
{
    public static readonly ActivitySource Source = new("Payments.Tests");

    [ModuleInitializer]
    internal static void Listen() => ActivitySource.AddActivityListener(new ActivityListener
    {
        ShouldListenTo = source => source.Name is "Platform" or "MassTransit" or "Payments.Tests",
        Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded,
    });
}
