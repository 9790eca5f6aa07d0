using Submissions.Api.Domain;

namespace Submissions.Domain.Tests;

public sealed class SubmissionRulesTests
{
    private static List<(string? Indicator, decimal? Value)> Values(params (string? Indicator, decimal? Value)[] values) => [.. values];

    [Fact]
    public void A_complete_submission_has_no_errors()
    {
        var errors = SubmissionRules.Validate("A81001", "FLU", "2026-10", Values(("FLU_65_PLUS", 120m), ("FLU_UNDER_65_AT_RISK", 40m)));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("a81001", "invalid_format")]
    [InlineData("A8100", "invalid_format")]
    [InlineData("A81001'; DROP TABLE submissions;--", "invalid_format")]
    public void The_practice_ods_code_is_checked(string? ods, string code)
    {
        var error = Assert.Single(SubmissionRules.Validate(ods, "FLU", "2026-10", Values(("FLU_65_PLUS", 1m))));
        Assert.Equal(("practiceOds", code), (error.Field, error.Code));
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("26-10")]
    [InlineData("2026-Q5")]
    [InlineData("October")]
    public void A_period_that_is_not_a_month_quarter_or_year_is_refused(string period)
    {
        var error = Assert.Single(SubmissionRules.Validate("A81001", "FLU", period, Values(("FLU_65_PLUS", 1m))));
        Assert.Equal(("period", "invalid_format"), (error.Field, error.Code));
    }

    [Fact]
    public void Every_broken_value_is_listed_with_its_field_and_code()
    {
        var errors = SubmissionRules.Validate("A81001", "FLU", "2026-10",
            Values(("FLU_65_PLUS", -1m), ("FLU_65_PLUS", 3m), (null, 2m), ("FLU_CHILD", 2.555m), ("FLU_STAFF", null), ("FLU_BIG", 10_000_001m)));

        Assert.Equal(
            [("values[0].value", "negative"), ("values[1].indicator", "duplicate_indicator"), ("values[2].indicator", "required"),
             ("values[3].value", "too_many_decimals"), ("values[4].value", "required"), ("values[5].value", "above_maximum")],
            errors.Select(e => (e.Field, e.Code)));
    }

    [Fact]
    public void A_submission_without_values_is_refused()
    {
        var error = Assert.Single(SubmissionRules.Validate("A81001", "FLU", "2026-10", Values()));
        Assert.Equal(("values", "required"), (error.Field, error.Code));
    }

    private static readonly Catalogue Catalogue = Submissions.Api.Data.CatalogueFiles.LoadEmbedded();
    private static readonly DateTimeOffset Today = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static List<(string Field, string Code)> Check(string ods, string service, string period, params (string? Indicator, decimal? Value)[] values) =>
        [.. SubmissionRules.Validate(ods, service, period, [.. values], Catalogue, Today, "A81001").Select(e => (e.Field, e.Code))];

    [Fact]
    public void The_demo_submission_passes_the_catalogue_checks() =>
        Assert.Empty(Check("A81001", "FLU", "2026-10", ("FLU_65_PLUS", 120m)));

    [Fact]
    public void Catalogue_checks_name_the_field_and_code()
    {
        Assert.Equal([("serviceCode", "unknown_service")], Check("A81001", "NOPE", "2026-10", ("FLU_65_PLUS", 1m)));
        Assert.Equal([("period", "unknown_period")], Check("A81001", "FLU", "2026-05", ("FLU_65_PLUS", 1m)));
        Assert.Equal([("period", "window_closed")], Check("A81001", "FLU", "2026-01", ("FLU_65_PLUS", 1m)));
        Assert.Equal([("period", "window_not_open")], Check("A81001", "QOF", "2026-Q3", ("DM012", 1m)));
        Assert.Equal([("practiceOds", "other_practice")], Check("B82002", "FLU", "2026-10", ("FLU_65_PLUS", 1m)));
        Assert.Equal([("values[1].indicator", "unknown_indicator"), ("values[2].value", "above_maximum"), ("values[3].value", "not_whole_number")],
            Check("A81001", "FLU", "2026-10", ("FLU_65_PLUS", 1m), ("DM012", 1m), ("FLU_PREGNANT", 5001m), ("FLU_CARER", 1.5m)));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(29, true)]
    [InlineData(28.75, true)]
    [InlineData(29.01, false)]
    public void Qof_points_go_up_to_the_indicators_maximum(decimal points, bool valid) =>
        Assert.Equal(valid, Check("A81001", "QOF", "2026-Q2", ("AF008", points)).Count == 0);
}
