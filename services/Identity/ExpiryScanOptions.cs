namespace Identity.Api;

/// <summary>The credential expiry scanner (<c>Identity:ExpiryScan</c>).</summary>
public sealed class ExpiryScanOptions
{
    public const string Section = "Identity:ExpiryScan";

    public bool Enabled { get; set; } = true;

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Credentials handled per transaction.</summary>
    public int BatchSize { get; set; } = 500;

    internal IEnumerable<string> Problems()
    {
        if (Interval < TimeSpan.FromSeconds(1)) yield return "Interval must be at least one second.";
        if (BatchSize < 1) yield return "BatchSize must be at least 1.";
    }
}
