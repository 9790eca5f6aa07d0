using Platform.Client.Submissions.Models;
using Portal.Components.Pages.Submissions;
using Portal.Components.Shared;

namespace Portal.Tests;

public class SubmissionRequestsTests
{
    private static readonly CatalogueServiceView Flu = new()
    {
        Code = "FLU",
        Name = "Flu vaccination",
        Indicators =
        [
            new CatalogueIndicatorView { Code = "FLU_65_PLUS", Name = "Vaccinations, 65 and over" },
            new CatalogueIndicatorView { Code = "FLU_UNDER_65", Name = "Vaccinations, under 65 at risk" },
            new CatalogueIndicatorView { Code = "FLU_PREGNANT", Name = "Vaccinations, pregnant" },
        ],
    };

    private const string Header = "practiceOds,serviceCode,period,indicator,value";

    private static SubmissionForm Form(string? period, params (string Code, string? Value)[] values) => new()
    {
        ServiceCode = "FLU",
        Period = period,
        Values = values.ToDictionary(value => value.Code, value => value.Value),
    };

    [Fact]
    public async Task Typed_values_become_the_request_with_thousands_separators_read_and_empty_values_skipped()
    {
        var errors = new FormErrors();
        var request = await SubmissionRequests.FromFormAsync(
            Form("2026-04", ("FLU_65_PLUS", " 1,207 "), ("FLU_UNDER_65", ""), ("FLU_PREGNANT", "12.5")), null, "A81001", Flu, errors);

        Assert.False(errors.Any, string.Join("; ", errors.All.Select(error => error.Message)));
        Assert.NotNull(request);
        Assert.Equal("A81001", request.PracticeOds);
        Assert.Equal("FLU", request.ServiceCode);
        Assert.Equal("2026-04", request.Period);
        Assert.Collection(request.Values!,
            value => { Assert.Equal("FLU_65_PLUS", value.Indicator); Assert.Equal(1207m, value.Value); },
            value => { Assert.Equal("FLU_PREGNANT", value.Indicator); Assert.Equal(12.5m, value.Value); });
    }

    [Fact]
    public async Task A_value_that_is_not_a_number_is_an_error_on_that_indicators_field_and_nothing_is_sent()
    {
        var errors = new FormErrors();
        var request = await SubmissionRequests.FromFormAsync(
            Form("2026-04", ("FLU_65_PLUS", "120"), ("FLU_UNDER_65", "twelve")), null, "A81001", Flu, errors);

        Assert.Null(request);
        var (fieldId, message) = Assert.Single(errors.All);
        Assert.Equal("value-FLU_UNDER_65", fieldId);
        Assert.Equal("Vaccinations, under 65 at risk must be a number, like 120", message);
        Assert.Null(errors.For("value-FLU_65_PLUS"));
    }

    [Fact]
    public async Task A_negative_value_is_an_error_on_its_field()
    {
        var errors = new FormErrors();
        var request = await SubmissionRequests.FromFormAsync(Form("2026-04", ("FLU_PREGNANT", "-3")), null, "A81001", Flu, errors);

        Assert.Null(request);
        Assert.NotNull(errors.For("value-FLU_PREGNANT"));
    }

    [Fact]
    public async Task No_values_at_all_is_an_error_on_the_first_indicator()
    {
        var errors = new FormErrors();
        var request = await SubmissionRequests.FromFormAsync(Form("2026-04", ("FLU_65_PLUS", "  "), ("FLU_UNDER_65", null)), null, "A81001", Flu, errors);

        Assert.Null(request);
        var (fieldId, message) = Assert.Single(errors.All);
        Assert.Equal("value-FLU_65_PLUS", fieldId);
        Assert.Equal("Enter at least one value", message);
    }

    [Fact]
    public async Task No_period_is_an_error_on_the_period_field()
    {
        var errors = new FormErrors();
        var request = await SubmissionRequests.FromFormAsync(Form(null, ("FLU_65_PLUS", "5")), null, "A81001", Flu, errors);

        Assert.Null(request);
        Assert.Equal("Select a reporting period", errors.For("period"));
    }

    [Fact]
    public void A_valid_file_becomes_the_request_with_its_period_and_values()
    {
        var errors = new FormErrors();
        var request = SubmissionRequests.FromCsv(
            [Header, "a81001,FLU,2026-04,FLU_65_PLUS,120", "A81001,flu,2026-04,FLU_PREGNANT,7.5\r", "", "\"A81001\",\"FLU\",\"2026-04\",\"FLU_UNDER_65\",\"30\""],
            "A81001", Flu, errors);

        Assert.False(errors.Any, string.Join("; ", errors.All.Select(error => error.Message)));
        Assert.NotNull(request);
        Assert.Equal("A81001", request.PracticeOds);
        Assert.Equal("FLU", request.ServiceCode);
        Assert.Equal("2026-04", request.Period);
        Assert.Equal(
            [("FLU_65_PLUS", 120m), ("FLU_PREGNANT", 7.5m), ("FLU_UNDER_65", 30m)],
            request.Values!.Select(value => (value.Indicator, value.Value ?? -1)).ToArray());
    }

    [Theory]
    [InlineData("A81001,FLU,2026-04,FLU_65_PLUS,120")]
    [InlineData("ods,service,period,indicator,value\nA81001,FLU,2026-04,FLU_65_PLUS,120")]
    [InlineData(Header)]
    [InlineData(Header + "\n\n  \n")]
    public void A_file_without_the_header_row_or_without_values_is_refused(string file)
    {
        var lines = file.Split('\n');
        var errors = new FormErrors();

        Assert.Null(SubmissionRequests.FromCsv(lines, "A81001", Flu, errors));
        Assert.StartsWith("The file must start with the header row practiceOds,serviceCode,period,indicator,value", errors.For("file"));
    }

    [Fact]
    public void Rows_for_another_practice_are_refused_naming_the_row_and_both_practices()
    {
        var errors = new FormErrors();

        Assert.Null(SubmissionRequests.FromCsv([Header, "A81001,FLU,2026-04,FLU_65_PLUS,1", "B82002,FLU,2026-04,FLU_PREGNANT,2"], "A81001", Flu, errors));
        Assert.Equal("Row 3 is for practice B82002, not yours (A81001)", errors.For("file"));
    }

    [Fact]
    public void Rows_for_another_service_are_refused()
    {
        var errors = new FormErrors();

        Assert.Null(SubmissionRequests.FromCsv([Header, "A81001,SHINGLES,2026-04,SHINGLES_70,1"], "A81001", Flu, errors));
        Assert.Equal("Row 2 is for service SHINGLES, not FLU", errors.For("file"));
    }

    [Fact]
    public void Rows_for_different_periods_are_refused()
    {
        var errors = new FormErrors();

        Assert.Null(SubmissionRequests.FromCsv([Header, "A81001,FLU,2026-04,FLU_65_PLUS,1", "A81001,FLU,2026-05,FLU_PREGNANT,2"], "A81001", Flu, errors));
        Assert.Equal("Row 3 is for period 2026-05; every row must be for 2026-04", errors.For("file"));
    }

    [Fact]
    public void A_value_that_is_not_a_number_is_refused()
    {
        var errors = new FormErrors();

        Assert.Null(SubmissionRequests.FromCsv([Header, "A81001,FLU,2026-04,FLU_65_PLUS,lots"], "A81001", Flu, errors));
        Assert.Equal("Row 2: the value lots is not a number", errors.For("file"));
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_refused()
    {
        var errors = new FormErrors();

        Assert.Null(SubmissionRequests.FromCsv([Header, "A81001,FLU,2026-04,120"], "A81001", Flu, errors));
        Assert.Equal("Row 2 must have 5 values separated by commas", errors.For("file"));
    }

    [Fact]
    public void Api_field_names_map_to_the_forms_field_ids()
    {
        // The API numbers the values it was sent: only the indicators typed in, in form order.
        var request = new SubmissionRequest
        {
            Period = "2026-10",
            Values = [new() { Indicator = "FLU_65_PLUS", Value = 1 }, new() { Indicator = "FLU_UNDER_65", Value = 2 }],
        };
        var ids = SubmissionRequests.FieldIds(request, fromFile: false);

        Assert.Equal("period", ids["period"]);
        Assert.Equal("value-FLU_UNDER_65", ids["values[1].value"]);
        Assert.Equal("value-FLU_65_PLUS", ids["values[0].indicator"]);
        Assert.Equal("file", ids["values"]);
        Assert.All(SubmissionRequests.FieldIds(request, fromFile: true).Values, id => Assert.Equal("file", id));
    }
}
