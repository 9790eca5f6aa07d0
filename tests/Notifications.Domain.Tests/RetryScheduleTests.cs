using Notifications.Api.Domain;

namespace Notifications.Domain.Tests;

public sealed class RetryScheduleTests
{
    [Fact]
    public void Each_wait_doubles_up_to_the_maximum()
    {
        var schedule = new RetrySchedule(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));
        Assert.Equal([2, 4, 8, 16, 20, 20], Enumerable.Range(1, 6).Select(a => schedule.DelayAfter(a).TotalSeconds));
    }
}
