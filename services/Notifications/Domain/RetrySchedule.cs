namespace Notifications.Api.Domain;

/// <summary>Exponential backoff between email attempts: first, 2×first, 4×first... never more than max.</summary>
public sealed record RetrySchedule(TimeSpan First, TimeSpan Max)
{
    public TimeSpan DelayAfter(int attempts) =>
        TimeSpan.FromTicks(Math.Min(Max.Ticks, First.Ticks * (1L << Math.Clamp(attempts - 1, 0, 20))));
}
