using Platform.Resilience.Running;
using Platform.Testing;
using static Platform.Resilience.Faults.MailLostBySmtp4dev;

namespace Platform.Resilience.Faults;

/// <summary>The checker counts a message smtp4dev lost as it stopped, and nothing else it lost.</summary>
public sealed class MailLostBySmtp4devTests
{
    private static readonly DateTimeOffset Since = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private static readonly ResiliencePlatform.Stop Smtp4devStop = new("smtp4dev", Since.AddMinutes(2), Since.AddMinutes(2).AddSeconds(1));
    private const string Receipt = "Receipt: FLU 2026-10 submission for Practice 1 accepted";

    private static Smtp4devMailbox.ReceivedMessage Held(DateTimeOffset at) => new("1", "platform@example.test", ["admin@practice1.test"], Receipt, at);

    private static SentEmail Sent(DateTimeOffset at) => new("admin@practice1.test", Receipt, at);

    [Fact]
    public void A_message_accepted_just_before_the_stop_and_missing_is_counted_from_the_platforms_record()
    {
        var standIns = StandIns([], [Sent(Smtp4devStop.Requested.AddSeconds(-1))], [Smtp4devStop], Since);

        var standIn = Assert.Single(standIns);
        Assert.Equal(Receipt, standIn.Subject);
        Assert.Equal(["admin@practice1.test"], standIn.To);
    }

    [Fact]
    public void A_message_missing_that_was_sent_well_before_the_stop_stays_lost()
    {
        Assert.Empty(StandIns([], [Sent(Smtp4devStop.Requested.AddSeconds(-30))], [Smtp4devStop], Since));
    }

    [Fact]
    public void A_message_missing_in_a_case_where_smtp4dev_was_not_stopped_stays_lost()
    {
        Assert.Empty(StandIns([], [Sent(Smtp4devStop.Requested)], [Smtp4devStop with { Resource = "redis" }], Since));
    }

    [Fact]
    public void A_message_smtp4dev_holds_needs_no_stand_in()
    {
        var at = Smtp4devStop.Requested.AddSeconds(-1);
        Assert.Empty(StandIns([Held(at)], [Sent(at)], [Smtp4devStop], Since));
    }

    [Fact]
    public void A_message_the_platform_sent_twice_is_still_seen_twice()
    {
        var first = Smtp4devStop.Requested.AddSeconds(-2);
        var second = Smtp4devStop.Requested.AddSeconds(-1);

        var standIns = StandIns([Held(first)], [Sent(first), Sent(second)], [Smtp4devStop], Since);

        Assert.Single(standIns); // with the one smtp4dev holds, the checker counts two and reports the duplicate
    }
}
