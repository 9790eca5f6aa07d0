using Submissions.Api.Domain;

namespace Submissions.Domain.Tests;

public sealed class ContentHashTests
{
    private static SubmittedValue V(string indicator, decimal value) => new() { Indicator = indicator, Value = value };

    [Fact]
    public void The_order_of_values_does_not_change_the_hash()
    {
        Assert.Equal(
            ContentHash.Of("A81001", "FLU", "2026-10", [V("A", 1), V("B", 2)]),
            ContentHash.Of("A81001", "FLU", "2026-10", [V("B", 2), V("A", 1)]));
    }

    [Fact]
    public void Any_changed_value_changes_the_hash()
    {
        var original = ContentHash.Of("A81001", "FLU", "2026-10", [V("A", 1)]);
        Assert.NotEqual(original, ContentHash.Of("A81001", "FLU", "2026-10", [V("A", 2)]));
        Assert.NotEqual(original, ContentHash.Of("A81001", "FLU", "2026-11", [V("A", 1)]));
        Assert.NotEqual(original, ContentHash.Of("B82002", "FLU", "2026-10", [V("A", 1)]));
    }

    [Fact]
    public void Trailing_zeros_do_not_change_the_hash()
    {
        Assert.Equal(ContentHash.Of("A81001", "FLU", "2026-10", [V("A", 1m)]), ContentHash.Of("A81001", "FLU", "2026-10", [V("A", 1.00m)]));
    }
}
