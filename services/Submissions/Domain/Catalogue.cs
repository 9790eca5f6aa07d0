namespace Submissions.Api.Domain;

/// <summary>
/// The service catalogue: for each financial year, the services a practice can submit, their indicators
/// (with maximum points or counts) and their reporting periods with opening dates and deadlines.
/// </summary>
public sealed class Catalogue(IEnumerable<CatalogueYear> years)
{
    private readonly IReadOnlyList<CatalogueYear> years = [.. years.OrderBy(y => y.FinancialYear, StringComparer.Ordinal)];

    public IReadOnlyList<CatalogueYear> Years => years;

    public CatalogueYear? Year(string financialYear) => years.FirstOrDefault(y => y.FinancialYear == financialYear);

    /// <summary>Whether any financial year offers this service.</summary>
    public bool HasService(string serviceCode) => years.Any(y => y.Service(serviceCode) is not null);

    /// <summary>The year and service a (service, period) pair belongs to; periods never repeat across years.</summary>
    public (CatalogueYear Year, CatalogueService Service, ReportingPeriod Period)? Find(string serviceCode, string period)
    {
        foreach (var year in years)
        {
            var service = year.Service(serviceCode);
            var match = service?.Periods.FirstOrDefault(p => p.Period == period);
            if (service is not null && match is not null) return (year, service, match);
        }
        return null;
    }
}

public sealed record CatalogueYear(string FinancialYear, string Version, DateOnly PublishedAt, string Notes, IReadOnlyList<CatalogueService> Services)
{
    public CatalogueService? Service(string code) => Services.FirstOrDefault(s => s.Code == code);
}

public sealed record CatalogueService(
    string Code, string Name, string Kind, string Unit, string PeriodType, string Description,
    IReadOnlyList<ReportingPeriod> Periods, IReadOnlyList<CatalogueIndicator> Indicators)
{
    public const string QofKind = "qof";
    public const string ItemKind = "item";

    public CatalogueIndicator? Indicator(string code) => Indicators.FirstOrDefault(i => i.Code == code);
}

/// <summary>
/// A reporting period: the days it covers, and its submission window in whole UTC days
/// (from 00:00 on <see cref="OpensAt"/> to the end of <see cref="Deadline"/>).
/// </summary>
public sealed record ReportingPeriod(string Period, DateOnly Starts, DateOnly Ends, DateOnly OpensAt, DateOnly Deadline)
{
    public DateTimeOffset WindowOpens => new(OpensAt.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The first instant after the window (exclusive).</summary>
    public DateTimeOffset WindowCloses => new(Deadline.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public string WindowAt(DateTimeOffset now) => now < WindowOpens ? "not-yet-open" : now >= WindowCloses ? "closed" : "open";
}

/// <summary>An indicator: QOF indicators have <see cref="MaxPoints"/> (points, up to two decimals); item indicators a <see cref="MaxValue"/> count.</summary>
public sealed record CatalogueIndicator(string Code, string Name, string? Domain, decimal? MaxPoints, decimal? MaxValue)
{
    public decimal Maximum => MaxPoints ?? MaxValue ?? SubmissionRules.MaxValue;

    public bool IsPoints => MaxPoints is not null;
}
