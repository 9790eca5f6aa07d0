using System.Globalization;

namespace Portal.Components.Shared;

/// <summary>How the portal writes money, dates and times: en-GB, in UK time.</summary>
public static class Format
{
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>UK time by its current rules (GMT; BST from 01:00 GMT on the last Sunday of March to 01:00 GMT on the last Sunday of October), for an image without time zone data.</summary>
    internal static TimeZoneInfo UkRules { get; } = TimeZoneInfo.CreateCustomTimeZone("UK", TimeSpan.Zero, "UK time", "GMT", "BST",
    [
        TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(System.DateTime.MinValue.Date, System.DateTime.MaxValue.Date, TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new System.DateTime(1, 1, 1, 1, 0, 0), 3, 5, DayOfWeek.Sunday),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new System.DateTime(1, 1, 1, 2, 0, 0), 10, 5, DayOfWeek.Sunday)),
    ]);

    /// <summary>Europe/London from the system's data, or <see cref="UkRules"/> where there is none (declared after it: initialised in order).</summary>
    private static readonly TimeZoneInfo London =
        TimeZoneInfo.TryFindSystemTimeZoneById("Europe/London", out var zone) && zone is not null ? zone : UkRules;

    public static string Money(decimal? amount) => amount is { } value ? value.ToString("C2", EnGb) : "";

    public static string Money(double? amount) => amount is { } value ? Money((decimal)value) : "";

    public static string Date(DateTimeOffset? at) => at is { } value ? Local(value).ToString("d MMMM yyyy", EnGb) : "";

    public static string DateTime(DateTimeOffset? at) =>
        at is { } value ? Local(value).ToString("d MMMM yyyy", EnGb) + " at " + Local(value).ToString("h:mmtt", EnGb).ToLowerInvariant() : "";

    public static string Time(DateTimeOffset? at) => at is { } value ? Local(value).ToString("HH:mm:ss", EnGb) : "";

    public static string Number(decimal? value) => value?.ToString("#,##0.##", EnGb) ?? "";

    public static string Age(DateTimeOffset? since, DateTimeOffset now)
    {
        if (since is not { } start) return "";
        var age = now - start;
        return age.TotalDays >= 1 ? Plural((int)age.TotalDays, "day")
            : age.TotalHours >= 1 ? Plural((int)age.TotalHours, "hour")
            : Plural(Math.Max(1, (int)age.TotalMinutes), "minute");
    }

    public static string Plural(int count, string unit) => $"{count} {unit}{(count == 1 ? "" : "s")}";

    private static DateTimeOffset Local(DateTimeOffset value) => TimeZoneInfo.ConvertTime(value, London);
}
