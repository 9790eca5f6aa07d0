using System.ComponentModel.DataAnnotations;

namespace Notifications.Api;

/// <summary>How email delivery retries (section <c>Notifications:Delivery</c>).</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Notifications:Delivery";

    /// <summary>
    /// Attempts the relay may refuse a message before it is marked failed (an admin can retry it for another round).
    /// Attempts that found the relay down do not count: during an outage mail waits, however long it lasts.
    /// </summary>
    [Range(1, 10_000)] public int MaxAttempts { get; set; } = 10;
    /// <summary>
    /// Emails leased, sent and recorded in one commit. A crash of the service between the sends and their record sends that
    /// many again at most (with the same Message-IDs). At most 200: a batch's record (two statements an email) must stay
    /// one batch of statements, so one implicit transaction, well under EF Core's 1,000.
    /// </summary>
    [Range(1, 200)] public int BatchSize { get; set; } = 20;
    /// <summary>
    /// How long the connection to the relay is kept open with no mail to send: the next batch within it reuses the
    /// connection instead of opening another. Relays wait at least five minutes for a client's next command (RFC 5321);
    /// zero opens a connection for every batch.
    /// </summary>
    public TimeSpan RelayIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// How often the job looks for due mail when nothing wakes it: a commit that queues mail wakes it at once, so this bounds
    /// only how late a retry after its delay goes out, and what an idle job costs.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// Once woken by new mail, how long the job lets more arrive before it leases: the mail of several events then goes out
    /// with one lease and one record instead of one each (on two cores under load, about a third of the job's
    /// statements). Mail goes out this much later.
    /// </summary>
    public TimeSpan GatherFor { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>Wait after the first failed attempt; each later wait doubles, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);
}
