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

    /// <summary>How often the dispatcher looks for unsent rows when no commit woke it.</summary>
    public TimeSpan DispatcherPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Outbox rows claimed and published per dispatcher transaction.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long one publish may wait for the broker before the row is marked failed and retried later.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long sent outbox rows and inbox rows are kept before they are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}
