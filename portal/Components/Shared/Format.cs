using System.Globalization;
using Platform.ServiceDefaults;

namespace Portal.Components.Shared;

/// <summary>How the portal writes money, dates and times: en-GB, in UK time.</summary>
public static class Format
{
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    public static string Money(decimal? amount) => amount is { } value ? value.ToString("C2", EnGb) : "";


    public static string Date(DateTimeOffset? at) => at is { } value ? Local(value).ToString("d MMMM yyyy", EnGb) : "";

    public static string DateTime(DateTimeOffset? at) =>
        at is { } value ? Local(value).ToString("d MMMM yyyy", EnGb) + " at " + Local(value).ToString("h:mmtt", EnGb).ToLowerInvariant() : "";


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

    private static DateTimeOffset Local(DateTimeOffset value) => TimeZoneInfo.ConvertTime(value, UkTimeZone.London);
}
