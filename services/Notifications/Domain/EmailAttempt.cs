namespace Notifications.Api.Domain;

/// <summary>One try at handing an email to the relay, kept whatever its outcome.</summary>
public sealed class EmailAttempt
{
    public long Id { get; init; }
    public required Guid EmailId { get; init; }
    public required DateTimeOffset AttemptedAt { get; init; }
    /// <summary><see cref="AttemptOutcome.Sent"/> or <see cref="AttemptOutcome.Error"/>.</summary>
    public required string Outcome { get; init; }
    public string? Error { get; init; }
}

public static class AttemptOutcome
{
    public const string Sent = "sent";
    public const string Error = "error";
}
