using Platform.ServiceDefaults;
using Portal.Components.Shared;

namespace Portal.Tests;

public class FormatTests
{
    [Fact]
    public void Money_is_in_pounds_and_pence_en_GB()
    {
        Assert.Equal("£1,207.20", Format.Money(1207.2m));
        Assert.Equal("£0.00", Format.Money(0m));
        Assert.Equal("£12,345,678.90", Format.Money(12345678.9m));
        Assert.Equal("", Format.Money((decimal?)null));
    }

    [Theory]
    [InlineData("2026-07-01T23:30:00Z", "2 July 2026")]      // BST: 00:30 on 2 July in the UK
    [InlineData("2026-01-31T23:30:00Z", "31 January 2026")]  // GMT
    [InlineData("2026-03-29T00:30:00Z", "29 March 2026")]    // the night the clocks go forward
    [InlineData("2026-10-24T23:30:00Z", "25 October 2026")]  // the last hour of BST
    public void Dates_are_the_day_in_the_UK(string at, string expected) =>
        Assert.Equal(expected, Format.Date(DateTimeOffset.Parse(at)));

    [Fact]
    public void Date_and_time_are_UK_time_across_the_clock_changes()
    {
        Assert.Equal("2 July 2026 at 12:30am", Format.DateTime(DateTimeOffset.Parse("2026-07-01T23:30:00Z")));
        Assert.Equal("15 January 2026 at 2:05pm", Format.DateTime(DateTimeOffset.Parse("2026-01-15T14:05:00Z")));
        Assert.Equal("", Format.Date(null));
    }

    [Fact]
    public void Numbers_have_thousands_separators_and_no_needless_decimals()
    {
        Assert.Equal("1,207", Format.Number(1207m));
        Assert.Equal("12.5", Format.Number(12.50m));
        Assert.Equal("", Format.Number(null));
    }

    [Fact]
    public void Age_is_in_the_largest_whole_unit()
    {
        var now = DateTimeOffset.Parse("2026-07-02T12:00:00Z");
        Assert.Equal("1 minute", Format.Age(now.AddSeconds(-10), now));
        Assert.Equal("59 minutes", Format.Age(now.AddMinutes(-59), now));
        Assert.Equal("1 hour", Format.Age(now.AddMinutes(-61), now));
        Assert.Equal("23 hours", Format.Age(now.AddHours(-23.9), now));
        Assert.Equal("1 day", Format.Age(now.AddHours(-24), now));
        Assert.Equal("3 days", Format.Age(now.AddDays(-3.5), now));
        Assert.Equal("", Format.Age(null, now));
    }
}

public class UkRulesTests
{
    [Theory]
    [InlineData("2026-03-29T00:59:00Z")]
    [InlineData("2026-03-29T01:00:00Z")]
    [InlineData("2026-07-01T23:30:00Z")]
    [InlineData("2026-10-25T00:59:00Z")]
    [InlineData("2026-10-25T01:00:00Z")]
    [InlineData("2027-03-28T01:30:00Z")]
    [InlineData("2026-12-31T23:59:00Z")]
    public void Without_zone_data_UK_time_is_the_same_as_Europe_London(string at)
    {
        var instant = DateTimeOffset.Parse(at);
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

        Assert.Equal(TimeZoneInfo.ConvertTime(instant, london).Offset, TimeZoneInfo.ConvertTime(instant, UkTimeZone.Rules).Offset);
    }
}
