namespace Platform.ServiceDefaults;

/// <summary>UK local time, for what people read: Europe/London from the system's time zone data, else the UK's rules.</summary>
public static class UkTimeZone
{
    /// <summary>UK time by its current rules: GMT, and BST (+1 h) from 01:00 GMT on the last Sunday of March to 01:00 GMT on the last Sunday of October.</summary>
    public static TimeZoneInfo Rules { get; } = TimeZoneInfo.CreateCustomTimeZone("UK", TimeSpan.Zero, "UK time", "GMT", "BST",
    [
        TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 1, 0, 0), 3, 5, DayOfWeek.Sunday),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 10, 5, DayOfWeek.Sunday)),
    ]);

    /// <summary>Europe/London, or <see cref="Rules"/> where an image has no zone data (declared after it: initialised in order).</summary>
    public static TimeZoneInfo London { get; } =
        TimeZoneInfo.TryFindSystemTimeZoneById("Europe/London", out var zone) && zone is not null ? zone : Rules;
}
