using Identity.Api.Domain;
using Platform.Contracts.Identity;

namespace Identity.Domain.Tests;

public sealed class ExpiryScheduleTests
{
    private static readonly DateTimeOffset Expiry = new(2027, 6, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(31, null, 30)]
    [InlineData(30, 30, 14)]
    [InlineData(20, 30, 14)]
    [InlineData(14, 14, 7)]
    [InlineData(8, 14, 7)]
    [InlineData(7, 7, 1)]
    [InlineData(2, 7, 1)]
    [InlineData(1, 1, 0)]
    [InlineData(0, 0, null)]
    [InlineData(-40, 0, null)]
    public void The_nearest_crossed_threshold_is_due_and_the_next_one_is_scheduled(double daysBefore, int? due, int? nextThreshold)
    {
        var (actualDue, next) = ExpirySchedule.Evaluate(Expiry, Expiry.AddDays(-daysBefore));

        Assert.Equal(due, actualDue);
        Assert.Equal(nextThreshold is { } days ? Expiry.AddDays(-days) : null, next);
    }

    [Fact]
    public void Practice_admins_hear_of_near_password_notices_and_of_every_client_secret_notice()
    {
        Assert.False(ExpirySchedule.TellsPracticeAdmins(CredentialKinds.Password, 30));
        Assert.False(ExpirySchedule.TellsPracticeAdmins(CredentialKinds.Password, 14));
        Assert.True(ExpirySchedule.TellsPracticeAdmins(CredentialKinds.Password, 7));
        Assert.True(ExpirySchedule.TellsPracticeAdmins(CredentialKinds.Password, 0));
        Assert.True(ExpirySchedule.TellsPracticeAdmins(CredentialKinds.ClientSecret, 30));
    }

    [Theory]
    [InlineData(10.0, 10)]
    [InlineData(9.5, 10)]
    [InlineData(0.01, 1)]
    [InlineData(0, 0)]
    [InlineData(-3, 0)]
    public void Days_left_counts_a_started_day(double days, int expected) =>
        Assert.Equal(expected, ExpirySchedule.DaysLeft(Expiry, Expiry.AddDays(-days)));
}
