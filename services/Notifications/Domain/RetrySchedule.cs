namespace Notifications.Api.Domain;

/// <summary>Exponential backoff between email attempts: 2 s, 4 s, 8 s... capped at five minutes.</summary>
public static class RetrySchedule
{
    public static TimeSpan DelayAfter(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, Math.Clamp(attempts, 1, 16))));
}
