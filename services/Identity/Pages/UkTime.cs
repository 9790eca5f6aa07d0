using System.Globalization;

namespace Identity.Api.Pages;

/// <summary>Times as people in England read them, in UK local time: "3:45pm on 5 December 2026", "4pm on 1 June 2026".</summary>
public static class UkTime
{
    /// <summary>UK time by its current rules: GMT, and BST (+1 h) from 01:00 GMT on the last Sunday of March to 01:00 GMT on the last Sunday of October.</summary>
    public static TimeZoneInfo Rules { get; } = TimeZoneInfo.CreateCustomTimeZone("UK", TimeSpan.Zero, "UK time", "GMT", "BST",
    [
        TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 1, 0, 0), 3, 5, DayOfWeek.Sunday),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 10, 5, DayOfWeek.Sunday)),
    ]);

    /// <summary>Europe/London from the system's time zone data, or <see cref="Rules"/> where an image has none (declared after it: initialised in order).</summary>
    private static readonly TimeZoneInfo London =
        TimeZoneInfo.TryFindSystemTimeZoneById("Europe/London", out var zone) && zone is not null ? zone : Rules;

    public static string Format(DateTimeOffset at) => Format(at, London);

    public static string Format(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var hour = local.Hour % 12 == 0 ? 12 : local.Hour % 12;
        var clock = local.Minute == 0 ? $"{hour}" : $"{hour}:{local.Minute:00}";
        return $"{clock}{(local.Hour < 12 ? "am" : "pm")} on {local.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"))}";
    }
}
