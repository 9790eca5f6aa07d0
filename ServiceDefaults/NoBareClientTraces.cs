using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Platform.ServiceDefaults;

/// <summary>
/// A database or HTTP call made outside any trace (a job's poll that finds nothing, a key refresh) would start a trace of its
/// own, one span long, and bury the work in the trace list: such a span is not recorded. Work starts at a request, an event
/// or a job step with its own span, and every call inside it is recorded as before (parent-based sampling).
/// </summary>
internal sealed class NoBareClientTraces : Sampler
{
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);

    public static Sampler ParentBased() => new ParentBasedSampler(new NoBareClientTraces());

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Kind == ActivityKind.Client ? Drop : Keep;
}
