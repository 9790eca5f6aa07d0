using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Gateway.Telemetry;

/// <summary>
/// The gateway starts every trace itself: a caller's <c>traceparent</c>, <c>tracestate</c> and <c>baggage</c> are not
/// adopted, so nobody outside can attach their requests to another practice's trace or choose the <c>X-Trace-Id</c> a
/// practice quotes. Calls from the gateway to the services still carry the gateway's trace. Two propagators read the
/// incoming headers (ASP.NET Core's, and OpenTelemetry's when its default is not plain trace context); both are told
/// to ignore them.
/// </summary>
public static class CallerTraceContext
{
    public static IServiceCollection IgnoreCallerTraceContext(this IServiceCollection services)
    {
        services.AddSingleton<DistributedContextPropagator>(new OutgoingOnly(DistributedContextPropagator.CreateDefaultPropagator()));
        if (Propagators.DefaultTextMapPropagator is not OutgoingOnlyTextMap)
        {
            Sdk.SetDefaultTextMapPropagator(new OutgoingOnlyTextMap(Propagators.DefaultTextMapPropagator));
        }
        return services;
    }

    private sealed class OutgoingOnly(DistributedContextPropagator inner) : DistributedContextPropagator
    {
        public override IReadOnlyCollection<string> Fields => inner.Fields;

        public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) => inner.Inject(activity, carrier, setter);

        public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
        {
            traceId = null;
            traceState = null;
        }

        public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) => null;
    }

    private sealed class OutgoingOnlyTextMap(TextMapPropagator inner) : TextMapPropagator
    {
        public override ISet<string>? Fields => inner.Fields;

        public override PropagationContext Extract<T>(PropagationContext context, T carrier, Func<T, string, IEnumerable<string>?> getter) => context;

        public override void Inject<T>(PropagationContext context, T carrier, Action<T, string, string> setter) => inner.Inject(context, carrier, setter);
    }
}
