using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Platform.Messaging;

namespace Messaging.Tests;

/// <summary>
/// Makes activities record for the whole test assembly, as OpenTelemetry would in a service. A test can ask that MassTransit's
/// own activities are not recorded for one trace, to check the outbox still carries the trace without them.
/// </summary>
public static class TestTracing
{
    public static readonly ActivitySource Source = new("Messaging.Tests");

    private static readonly ConcurrentDictionary<ActivityTraceId, byte> WithoutMassTransit = new();

    [ModuleInitializer]
    internal static void Listen()
    {
        ActivitySource.AddActivityListener(new ActivityListener
        {
            ShouldListenTo = source => source.Name is MessagingDiagnostics.ActivitySourceName or "MassTransit" or "Messaging.Tests",
            Sample = (ref options) =>
                options.Source.Name == "MassTransit" && WithoutMassTransit.ContainsKey(options.TraceId)
                    ? ActivitySamplingResult.None
                    : ActivitySamplingResult.AllDataAndRecorded,
        });
    }

    public static void DoNotRecordMassTransitActivities(ActivityTraceId traceId) => WithoutMassTransit.TryAdd(traceId, 0);
}
