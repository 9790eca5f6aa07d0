using System.ComponentModel.DataAnnotations;

namespace Payments.Api;

/// <summary><c>Payments:Approval</c>: when a commissioner must approve, and how long they have before a reminder.</summary>
public sealed class ApprovalOptions
{
    public const string Section = "Payments:Approval";

    /// <summary>Payments above this amount (GBP) wait for a commissioner of the practice's ICB. Default £5,000.</summary>
    [Range(typeof(decimal), "0", "100000000")]
    public decimal Threshold { get; set; } = 5000m;

    /// <summary>How long a commissioner has to decide before the ICB's commissioners are reminded (and again after each reminder). Default 2 days.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "90.00:00:00")]
    public TimeSpan DecisionWindow { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How often the reminder job looks for overdue decisions. Default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan ReminderCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Run the reminder job in the background (tests drive it directly).</summary>
    public bool RemindersEnabled { get; set; } = true;
}

/// <summary><c>Payments:Ledger</c>: posting approved payments to the ledger.</summary>
public sealed class LedgerOptions
{
    public const string Section = "Payments:Ledger";

    /// <summary>Attempts before a payment ends payment-failed. Default 5.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait after the first failed attempt; it doubles after each one, up to <see cref="MaxRetryDelay"/>. Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the posting job looks for due payments when nothing wakes it: a commit that makes one due wakes it at once,
    /// so this bounds only how late a retry after its delay is posted, and what an idle job costs. Default 5 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Run the posting job in the background (tests may drive it directly).</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan RetryDelay(int failedAttempts)
    {
        var delay = FirstRetryDelay * Math.Pow(2, Math.Max(0, failedAttempts - 1));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }
}
