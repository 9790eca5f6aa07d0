using Payments.Api.Domain;

namespace Payments.Tests;

public sealed class PerItemRuleTests
{
    [Fact]
    public void Each_line_is_quantity_times_fee_rounded_to_the_penny()
    {
        var lines = new PerItemRule(10.06m).Calculate([("FLU_65_PLUS", 120m), ("FLU_CHILD", 7m)]);

        Assert.Equal([("FLU_65_PLUS", 120m, 10.06m, 1207.20m), ("FLU_CHILD", 7m, 10.06m, 70.42m)],
            lines.Select(l => (l.Indicator, l.Quantity, l.Rate, l.Amount)));
    }

    [Fact]
    public void Half_pennies_round_away_from_zero()
    {
        var line = Assert.Single(new PerItemRule(0.125m).Calculate([("X", 1m)]));
        Assert.Equal(0.13m, line.Amount);
    }
}
