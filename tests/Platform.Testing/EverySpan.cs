using System.Diagnostics;

namespace Platform.Testing;

/// <summary>Samples every span of every source in the test process, so a test's own trace reaches all the work it caused.</summary>
public static class EverySpan
{
    /// <summary>Listens until disposed.</summary>
    public static ActivityListener Sampled()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
