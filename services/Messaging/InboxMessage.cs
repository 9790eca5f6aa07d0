namespace Platform.Messaging;

/// <summary>Records that a consumer handled a message, in the same transaction as its effect, so a redelivery changes nothing.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; internal set; }

    public string ConsumerName { get; internal set; } = "";

    public DateTimeOffset ReceivedAt { get; internal set; }
}
