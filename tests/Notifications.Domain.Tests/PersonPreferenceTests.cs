using Notifications.Api.Domain;

namespace Notifications.Domain.Tests;

/// <summary>Saving preferences is idempotent: the same list again (or an empty one when nothing is muted) writes nothing.</summary>
public sealed class PersonPreferenceTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_preferences_saved_again_leave_the_person_unchanged()
    {
        var person = new Person { UserId = Guid.NewGuid() };
        person.MuteEmails(["payment-settled", "submission-accepted"], Monday);

        person.MuteEmails(["submission-accepted", "payment-settled", "payment-settled"], Monday.AddHours(1));

        Assert.Equal(["payment-settled", "submission-accepted"], person.MutedEmailKinds);
        Assert.Equal(Monday, person.UpdatedAt);
    }

    [Fact]
    public void A_changed_list_replaces_the_muted_kinds()
    {
        var person = new Person { UserId = Guid.NewGuid() };
        person.MuteEmails(["payment-settled"], Monday);

        person.MuteEmails([], Monday.AddHours(1));

        Assert.Empty(person.MutedEmailKinds);
        Assert.Equal(Monday.AddHours(1), person.UpdatedAt);
    }
}
