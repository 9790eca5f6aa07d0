using System.Net;
using Platform.Testing;
using Submissions.Api.Apis;
using Submissions.Api.Data;
using Submissions.Api.Domain;
using static Submissions.Tests.TestApi;

namespace Submissions.Tests;

public sealed class CatalogueTests
{
    private static readonly Catalogue Catalogue = CatalogueFiles.LoadEmbedded();

    [Fact]
    public void Both_financial_years_are_loaded_with_qof_immunisations_flu_and_learning_disability_checks()
    {
        Assert.Equal(["2025/26", "2026/27"], Catalogue.Years.Select(y => y.FinancialYear));
        Assert.All(Catalogue.Years, year => Assert.Equal(["QOF", "CHILD_IMMS", "FLU", "LDHC"], year.Services.Select(s => s.Code)));
    }

    [Fact]
    public void Qof_indicators_span_several_clinical_domains_and_each_has_its_maximum_points()
    {
        var qof = Catalogue.Year("2026/27")!.Service("QOF")!;
        Assert.True(qof.Indicators.Select(i => i.Domain).Distinct().Count() >= 5);
        Assert.All(qof.Indicators, i => Assert.True(i.MaxPoints > 0, i.Code));
        Assert.Equal(4m, qof.Indicator("DM012")!.MaxPoints);
    }

    [Fact]
    public void The_demo_flu_submission_is_open_today()
    {
        var (year, service, period) = Catalogue.Find("FLU", "2026-10")!.Value;
        Assert.Equal("2026/27", year.FinancialYear);
        Assert.Equal(CatalogueService.ItemKind, service.Kind);
        Assert.NotNull(service.Indicator("FLU_65_PLUS"));
        Assert.Equal("open", period.WindowAt(SubmissionsApiFactory.Today));
        Assert.Equal("open", Catalogue.Find("QOF", "2026-Q2")!.Value.Period.WindowAt(SubmissionsApiFactory.Today));
    }

    [Fact]
    public void A_window_runs_from_midnight_on_its_opening_date_to_the_end_of_its_deadline()
    {
        var period = Catalogue.Find("FLU", "2026-10")!.Value.Period;
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2027, 1, 31)), (period.OpensAt, period.Deadline));
        Assert.Equal("not-yet-open", period.WindowAt(new DateTimeOffset(2026, 10, 31, 23, 59, 59, TimeSpan.Zero)));
        Assert.Equal("open", period.WindowAt(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal("open", period.WindowAt(new DateTimeOffset(2027, 1, 31, 23, 59, 59, TimeSpan.Zero)));
        Assert.Equal("closed", period.WindowAt(new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void An_inconsistent_catalogue_is_refused()
    {
        var year = Catalogue.Year("2026/27")!;
        var broken = year with { Services = [.. year.Services, year.Services[0]] };
        var error = Assert.Throws<InvalidOperationException>(() => CatalogueFiles.Check(new Catalogue([broken])));
        Assert.Contains("QOF period 2026-Q1 appears more than once", error.Message);
    }
}

public sealed class CatalogueApiTests(SharedApp app) : IClassFixture<SharedApp>
{
    private readonly SubmissionsApiFactory factory = app.Factory;

    [Fact]
    public async Task The_catalogue_lists_services_indicators_and_the_state_of_each_window_today()
    {
        var client = factory.ClientFor(TestTokens.PracticeUser(NewOds()));

        var catalogue = await client.Get<CatalogueView>("/api/submissions/catalogue?financialYear=2026/27");

        var year = Assert.Single(catalogue.Years);
        var flu = year.Services.Single(s => s.Code == "FLU");
        var windows = flu.Periods.ToDictionary(p => p.Period, p => p.Window);
        Assert.Equal("open", windows["2026-09"]);
        Assert.Equal("open", windows["2026-10"]);
        Assert.Equal("not-yet-open", windows["2026-11"]);
        Assert.Equal(new DateOnly(2027, 1, 31), flu.Periods[1].Deadline);
        Assert.Equal(2, (await client.Get<CatalogueView>("/api/submissions/catalogue")).Years.Count);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/submissions/catalogue?financialYear=2019/20", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/submissions/catalogue", Cancel)).StatusCode);
    }
}

public sealed class OpenApiTests(SharedApp app) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task The_openapi_document_is_served_with_the_submission_endpoints_and_matches_its_committed_snapshot()
    {
        var response = await app.Factory.CreateClient().GetAsync("/openapi/v1.json", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("/api/submissions/{id}/events", document);
        Assert.Contains("/api/submissions/catalogue", document);

        var incompatible = OpenApiSnapshot.Check("submissions", document);
        Assert.True(incompatible is null, incompatible);
    }
}
