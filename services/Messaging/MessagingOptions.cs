namespace Platform.Messaging;

/// <summary>Tuning for the bus and the outbox, bound from the "Messaging" configuration section and validated at start-up.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    public static IReadOnlyList<TimeSpan> DefaultRetryIntervals { get; } =
        [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)];

    /// <summary>Unacknowledged messages RabbitMQ hands each receive endpoint at once.</summary>
    public int PrefetchCount { get; set; } = 32;

    /// <summary>
    /// In-process retries of a failed consume, then the message goes to the endpoint's _error queue.
    /// Empty means <see cref="DefaultRetryIntervals"/> (the configuration binder appends to arrays, so the default is applied after binding).
    /// </summary>
    public TimeSpan[] RetryIntervals { get; set; } = [];

    /// <summary>
    /// How often the dispatcher looks in the table for rows it was not handed at commit: rows a crashed process left, rows
    /// another process committed (a replica that stopped, a script), and rows whose publish failed. Committed rows are
    /// published at once, so this only bounds how late those are, and what idle polling costs.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest wait between sweeps while there is nothing to do: each sweep that finds no row, with no row committed
    /// in this process since the one before, doubles the wait from <see cref="SweepInterval"/> up to this; a row found or
    /// committed brings it back. An idle service then costs a transaction every 30 s, not every 5 s, and a row another
    /// process left waits at most this (plus <see cref="SweepAfter"/>) while this one is idle. Not longer than
    /// <see cref="SweepInterval"/>: no back-off.
    /// </summary>
    public TimeSpan SweepIntervalWhenIdle { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How old a never-tried row must be before a sweep takes it: younger ones are still being published by the process that
    /// committed them. Rows older than the dispatcher's own start are taken at once.
    /// </summary>
    public TimeSpan SweepAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Outbox rows claimed and published per dispatcher transaction.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long one publish may wait for the broker before the row is marked failed and retried later.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long sent outbox rows and inbox rows are kept before they are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}
