using System.Diagnostics.Metrics;

namespace Platform.Messaging;

/// <summary>
/// The messaging instruments on the <c>Platform</c> meter, each tagged with the <c>service</c> that registered the bus:
/// <list type="bullet">
/// <item><c>platform.messaging.consume.retries</c>: consume attempts that failed and will be retried (tags <c>queue</c>, <c>message_type</c>).</item>
/// <item><c>platform.messaging.dead_letters</c>: messages whose retries ran out, so MassTransit moved them to <c>&lt;queue&gt;_error</c>.</item>
/// <item><c>platform.outbox.backlog</c>: unsent outbox rows at the last sample.</item>
/// <item><c>platform.outbox.oldest_unsent_age</c>: seconds since the oldest unsent row was written (0 when none).</item>
/// </list>
/// </summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "Platform";
    public const string RetriesName = "platform.messaging.consume.retries";
    public const string DeadLettersName = "platform.messaging.dead_letters";
    public const string BacklogName = "platform.outbox.backlog";
    public const string OldestUnsentAgeName = "platform.outbox.oldest_unsent_age";

    private readonly Counter<long> retries;
    private readonly Counter<long> deadLetters;
    private readonly TimeProvider time;
    private volatile BacklogSample? backlog;

    public MessagingMetrics(IMeterFactory meters, TimeProvider time)
    {
        this.time = time;
        var meter = meters.Create(MeterName);
        retries = meter.CreateCounter<long>(RetriesName, "{attempt}", "Consume attempts that failed and will be retried.");
        deadLetters = meter.CreateCounter<long>(DeadLettersName, "{message}",
            "Messages whose consumer failed every retry; MassTransit moved them to the queue's _error queue.");
        meter.CreateObservableGauge(BacklogName, ObserveBacklog, "{message}", "Outbox rows not yet published, at the last sample.");
        meter.CreateObservableGauge(OldestUnsentAgeName, ObserveOldestAge, "s",
            "Age of the oldest outbox row not yet published, at the last sample; 0 when the outbox is empty.");
    }

    public void Retried(string service, string queue, string messageType) => retries.Add(1, Tags(service, queue, messageType));

    public void DeadLettered(string service, string queue, string messageType) => deadLetters.Add(1, Tags(service, queue, messageType));

    internal void SampledBacklog(string service, OutboxBacklog sample) => backlog = new BacklogSample(service, sample);

    private IEnumerable<Measurement<long>> ObserveBacklog() =>
        backlog is { } sample ? [new Measurement<long>(sample.Backlog.Unsent, new KeyValuePair<string, object?>("service", sample.Service))] : [];

    private IEnumerable<Measurement<double>> ObserveOldestAge()
    {
        if (backlog is not { } sample) return [];
        var age = sample.Backlog.OldestUnsentCreatedAt is { } oldest ? Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds) : 0;
        return [new Measurement<double>(age, new KeyValuePair<string, object?>("service", sample.Service))];
    }

    private static ReadOnlySpan<KeyValuePair<string, object?>> Tags(string service, string queue, string messageType) =>
        new KeyValuePair<string, object?>[] { new("service", service), new("queue", queue), new("message_type", messageType) };

    private sealed record BacklogSample(string Service, OutboxBacklog Backlog);
}
