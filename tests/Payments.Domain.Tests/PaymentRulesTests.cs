using System.Text.Json;
using Payments.Api.Data;
using Payments.Api.Domain;
using Platform.Testing;

namespace Payments.Domain.Tests;

public sealed class PaymentRulesTests
{
    private static readonly RulesBook Rules = new(PaymentRulesFiles.LoadEmbedded());

    private static PaymentCalculator.Calculated Calculate(string service, string period, int? listSize, params (string, decimal)[] values) =>
        Assert.IsType<PaymentCalculator.Calculated>(PaymentCalculator.Calculate(Rules.For(PaymentCalculator.FinancialYearOf(period)), service, values, listSize));

    [Fact]
    public void Every_catalogue_service_and_indicator_has_a_payment_rule_in_its_year()
    {
        var catalogues = Directory.GetFiles(Path.Combine(RepositoryRoot.Find(), "services", "Submissions", "Catalogue"), "catalogue-*.json");
        Assert.Equal(2, catalogues.Length);
        var missing = new List<string>();
        foreach (var file in catalogues)
        {
            // Submissions' catalogue file, not an API answer; its records are in Submissions.Api, not referenced here.
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var year = json.RootElement.GetProperty("financialYear").GetString()!;
            var rules = Rules.For(year);
            if (rules is null)
            {
                missing.Add($"{year}: no rules at all");
                continue;
            }
            foreach (var service in json.RootElement.GetProperty("services").EnumerateArray())
            {
                var code = service.GetProperty("code").GetString()!;
                var rule = rules.Service(code);
                if (rule is null)
                {
                    missing.Add($"{year} {code}");
                    continue;
                }
                if (rule.Kind != service.GetProperty("kind").GetString()) missing.Add($"{year} {code}: the rule is for {rule.Kind}");
                foreach (var indicator in service.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("code").GetString()!))
                {
                    if (!rule.PaidIndicators.Contains(indicator)) missing.Add($"{year} {code} {indicator}");
                }
            }
        }
        Assert.Empty(missing);
    }

    [Fact]
    public void A_qof_payment_worked_out_by_hand_matches_to_the_penny()
    {
        // 2026/27: £232.47 a point; a practice of 8,500 patients against the England average of 9,720:
        // rate = 232.47 × 8,500 ÷ 9,720 = 203.291666… → 203.2917 (4 places)
        // AF008  29    × 203.2917 = 5,895.4593   → 5,895.46
        // DM012   3.5  × 203.2917 =   711.52095  →   711.52
        // HYP008 12.25 × 203.2917 = 2,490.323325 → 2,490.32
        // total                                    9,097.30
        var payment = Calculate("QOF", "2026-Q2", 8_500, ("AF008", 29m), ("DM012", 3.5m), ("HYP008", 12.25m));

        Assert.Equal(
            [("AF008", 29m, 203.2917m, 5895.46m), ("DM012", 3.5m, 203.2917m, 711.52m), ("HYP008", 12.25m, 203.2917m, 2490.32m)],
            payment.Lines.Select(l => (l.Indicator, l.Quantity, l.Rate, l.Amount)));
        Assert.Equal(9097.30m, payment.Amount);
        Assert.True(payment.RequiresApproval);
    }

    [Fact]
    public void An_item_payment_worked_out_by_hand_matches_to_the_penny()
    {
        // FLU 2026/27: £10.06 an item. 120 × 10.06 = 1,207.20; 37 × 10.06 = 372.22; total 1,579.42.
        var payment = Calculate("FLU", "2026-10", null, ("FLU_65_PLUS", 120m), ("FLU_UNDER_65_AT_RISK", 37m));

        Assert.Equal([("FLU_65_PLUS", 120m, 10.06m, 1207.20m), ("FLU_UNDER_65_AT_RISK", 37m, 10.06m, 372.22m)],
            payment.Lines.Select(l => (l.Indicator, l.Quantity, l.Rate, l.Amount)));
        Assert.Equal(1579.42m, payment.Amount);
        Assert.False(payment.RequiresApproval);
    }

    [Fact]
    public void The_demo_flu_submission_is_paid_without_approval_below_the_threshold()
    {
        var payment = Calculate("FLU", "2026-10", 9_800, ("FLU_65_PLUS", 120m));
        Assert.Equal(1207.20m, payment.Amount);
        Assert.False(payment.RequiresApproval);
        Assert.True(payment.Amount < 5000m);
    }

    [Fact]
    public void An_unknown_list_size_is_paid_at_the_england_average()
    {
        var line = Assert.Single(Calculate("QOF", "2026-Q2", null, ("AF008", 1m)).Lines);
        Assert.Equal(232.47m, line.Rate);
        Assert.Equal(225.49m, Assert.Single(Calculate("QOF", "2025-Q4", null, ("AF008", 1m)).Lines).Rate);
    }

    [Fact]
    public void Half_pennies_round_away_from_zero()
    {
        var rounding = Rules.For("2026/27")!.Rounding;
        Assert.Equal((0.13m, 0.12m, 2.5001m), (rounding.Amount(0.125m), rounding.Amount(0.12499m), rounding.Rate(2.50005m)));
    }

    [Fact]
    public void Lines_always_add_up_to_the_amount_and_each_is_quantity_times_rate_to_the_penny()
    {
        var random = new Random(2026);
        var qof = Rules.For("2026/27")!.Service("QOF")!.Indicators!;
        for (var i = 0; i < 2_000; i++)
        {
            var values = qof.OrderBy(_ => random.Next()).Take(random.Next(1, qof.Count))
                .Select(code => (code, Math.Round((decimal)random.NextDouble() * 29, random.Next(0, 3)))).ToArray();
            var payment = Calculate("QOF", "2026-Q2", random.Next(0, 3) == 0 ? null : random.Next(1_000, 40_000), values);
            Assert.Equal(payment.Amount, payment.Lines.Sum(l => l.Amount));
            Assert.All(payment.Lines, l => Assert.Equal(Math.Round(l.Quantity * l.Rate, 2, MidpointRounding.AwayFromZero), l.Amount));
            Assert.All(payment.Lines, l => Assert.Equal(l.Amount, decimal.Round(l.Amount, 2)));
        }
    }

    [Fact]
    public void An_indicator_or_service_without_a_rule_is_not_calculated()
    {
        var rules = Rules.For("2026/27");
        Assert.IsType<PaymentCalculator.NoRule>(PaymentCalculator.Calculate(rules, "DENTAL", [("X", 1m)], null));
        Assert.IsType<PaymentCalculator.NoRule>(PaymentCalculator.Calculate(rules, "FLU", [("FLU_65_PLUS", 1m), ("DM012", 1m)], null));
        Assert.IsType<PaymentCalculator.NoRule>(PaymentCalculator.Calculate(null, "FLU", [("FLU_65_PLUS", 1m)], null));
    }

    [Theory]
    [InlineData("2026-04", "2026/27")]
    [InlineData("2026-12", "2026/27")]
    [InlineData("2027-03", "2026/27")]
    [InlineData("2026-03", "2025/26")]
    [InlineData("2026-Q4", "2026/27")]
    [InlineData("2025/26", "2025/26")]
    public void A_period_belongs_to_its_financial_year(string period, string year) =>
        Assert.Equal(year, PaymentCalculator.FinancialYearOf(period));

    [Fact]
    public void Payment_states_only_move_along_the_lifecycle()
    {
        Assert.True(PaymentStatus.CanMove(PaymentStatus.Calculated, PaymentStatus.AwaitingApproval));
        Assert.False(PaymentStatus.CanMove(PaymentStatus.Calculated, PaymentStatus.Approved));
        Assert.False(PaymentStatus.CanMove(PaymentStatus.AwaitingApproval, PaymentStatus.Paid));
        Assert.False(PaymentStatus.CanMove(PaymentStatus.Paid, PaymentStatus.Cancelled));
        Assert.False(PaymentStatus.CanMove(PaymentStatus.Approved, PaymentStatus.Cancelled));
        var payment = Payment.Calculate(Guid.NewGuid(), Guid.NewGuid(), 1, "A81001", "QWE", "QOF", "2026-Q2", "2026/27", [], true, "QOF", null, DateTimeOffset.UtcNow);
        Assert.Throws<InvalidOperationException>(() => payment.Approve("x", null, null, DateTimeOffset.UtcNow));
    }
}
