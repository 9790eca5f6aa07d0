using System.Globalization;

namespace Notifications.Api.Application;

/// <summary>Money, quantities and dates as a UK reader expects them.</summary>
public sealed class Formats(TimeZoneInfo zone)
{
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    public static string Money(decimal amount) => amount.ToString("C", English);

    public static string Quantity(decimal quantity) => quantity.ToString("#,0.##", English);

    /// <summary>"Tuesday 3 March 2026 at 14:00" in the configured zone.</summary>
    public string DateTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("dddd d MMMM yyyy 'at' HH:mm", English);

    public string Date(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("d MMMM yyyy", English);

    /// <summary>"1 day 6 hours", "3 hours 5 minutes".</summary>
    public static string Duration(TimeSpan span) => span.TotalDays >= 1
        ? $"{Plural((int)span.TotalDays, "day")} {Plural(span.Hours, "hour")}"
        : $"{Plural((int)span.TotalHours, "hour")} {Plural(span.Minutes, "minute")}";

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";

    public static string Days(int days) => Plural(days, "day");
}
