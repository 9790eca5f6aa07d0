using System.Globalization;
using Platform.ServiceDefaults;

namespace Identity.Api.Pages;

/// <summary>Times as people in England read them, in UK local time: "3:45pm on 5 December 2026", "4pm on 1 June 2026".</summary>
public static class UkTime
{
    public static string Format(DateTimeOffset at) => Format(at, UkTimeZone.London);

    public static string Format(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var hour = local.Hour % 12 == 0 ? 12 : local.Hour % 12;
        var clock = local.Minute == 0 ? $"{hour}" : $"{hour}:{local.Minute:00}";
        return $"{clock}{(local.Hour < 12 ? "am" : "pm")} on {local.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"))}";
    }
}
