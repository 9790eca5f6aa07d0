using Microsoft.AspNetCore.Http.HttpResults;
using Platform.ServiceDefaults;
using Submissions.Api.Domain;

namespace Submissions.Api.Apis;

/// <summary><c>GET /api/submissions/catalogue</c>: the services, indicators and reporting windows, with each window's state now.</summary>
public static class CatalogueApi
{
    public static Results<Ok<CatalogueView>, ProblemHttpResult> GetCatalogue(Catalogue catalogue, TimeProvider clock, string? financialYear)
    {
        var now = clock.GetUtcNow();
        var years = catalogue.Years.Where(y => financialYear is null || y.FinancialYear == financialYear).ToList();
        if (years.Count == 0) return Problems.NotFound($"Financial year {financialYear}");
        return TypedResults.Ok(new CatalogueView([.. years.Select(y => new CatalogueYearView(y.FinancialYear, y.Version, y.PublishedAt, y.Notes,
            [.. y.Services.Select(s => new CatalogueServiceView(s.Code, s.Name, s.Kind, s.Unit, s.PeriodType, s.Description,
                [.. s.Periods.Select(p => new ReportingPeriodView(p.Period, p.Starts, p.Ends, p.OpensAt, p.Deadline, p.WindowAt(now)))],
                [.. s.Indicators.Select(i => new CatalogueIndicatorView(i.Code, i.Name, i.Domain, i.MaxPoints, i.MaxValue))]))]))]));
    }
}

public sealed record CatalogueView(IReadOnlyList<CatalogueYearView> Years);

public sealed record CatalogueYearView(string FinancialYear, string Version, DateOnly PublishedAt, string Notes, IReadOnlyList<CatalogueServiceView> Services);

public sealed record CatalogueServiceView(string Code, string Name, string Kind, string Unit, string PeriodType, string Description,
    IReadOnlyList<ReportingPeriodView> Periods, IReadOnlyList<CatalogueIndicatorView> Indicators);

/// <param name="Window">open, closed or not-yet-open, now.</param>
public sealed record ReportingPeriodView(string Period, DateOnly Starts, DateOnly Ends, DateOnly OpensAt, DateOnly Deadline, string Window);

public sealed record CatalogueIndicatorView(string Code, string Name, string? Domain, decimal? MaxPoints, decimal? MaxValue);
