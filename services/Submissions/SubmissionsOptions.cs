using System.ComponentModel.DataAnnotations;

namespace Submissions.Api;

/// <summary><c>Submissions:Watchdog</c>: how long a submission may take to reach an outcome (or awaiting-approval), and how often to look.</summary>
public sealed class WatchdogOptions
{
    public const string Section = "Submissions:Watchdog";

    /// <summary>From receipt (or from approval) to a terminal outcome or awaiting-approval. Default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Sla { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the watchdog looks. Default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Turn the background watchdog off (tests drive it directly).</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary><c>Submissions:Events</c>: the server-sent event stream of a submission's status changes.</summary>
public sealed class SubmissionEventOptions
{
    public const string Section = "Submissions:Events";

    /// <summary>How often an open stream looks for new timeline entries. Default 500 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A stream ends after this long; clients reconnect with Last-Event-ID. Default 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(15);
}
