using System.Text.Json;
using Submissions.Api.Domain;

namespace Submissions.Api.Data;

/// <summary>
/// Loads the service catalogue from the versioned JSON files in <c>Catalogue/</c> (one per financial year, embedded in
/// the assembly) and checks it is consistent, so a broken file stops the service at start-up rather than at a submission.
/// </summary>
public static class CatalogueFiles
{
    private const string ResourcePrefix = "Submissions.Catalogue.";

    public static Catalogue LoadEmbedded()
    {
        var assembly = typeof(CatalogueFiles).Assembly;
        var years = new List<CatalogueYear>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            years.Add(Parse(stream, name));
        }
        return Check(new Catalogue(years));
    }

    public static CatalogueYear Parse(Stream json, string source) =>
        JsonSerializer.Deserialize<CatalogueYear>(json, JsonSerializerOptions.Web)
        ?? throw new InvalidOperationException($"Catalogue file {source} is empty.");

    public static Catalogue Check(Catalogue catalogue)
    {
        var problems = new List<string>();
        if (catalogue.Years.Count == 0) problems.Add("no catalogue files were found");
        if (catalogue.Years.Select(y => y.FinancialYear).Distinct().Count() != catalogue.Years.Count) problems.Add("a financial year appears twice");
        foreach (var year in catalogue.Years)
        {
            foreach (var service in year.Services)
            {
                var where = $"{year.FinancialYear} {service.Code}";
                if (service.Kind is not (CatalogueService.QofKind or CatalogueService.ItemKind)) problems.Add($"{where}: unknown kind {service.Kind}");
                if (service.Indicators.Count == 0) problems.Add($"{where}: no indicators");
                if (service.Indicators.Select(i => i.Code).Distinct().Count() != service.Indicators.Count) problems.Add($"{where}: an indicator appears twice");
                if (service.Kind == CatalogueService.QofKind && service.Indicators.Any(i => i.MaxPoints is not > 0)) problems.Add($"{where}: a QOF indicator has no maximum points");
                foreach (var period in service.Periods)
                {
                    if (period.OpensAt > period.Deadline) problems.Add($"{where} {period.Period}: opens after its deadline");
                    if (period.Starts > period.Ends) problems.Add($"{where} {period.Period}: starts after it ends");
                }
            }
        }
        foreach (var group in catalogue.Years.SelectMany(y => y.Services.SelectMany(s => s.Periods.Select(p => (s.Code, p.Period)))).GroupBy(x => x).Where(g => g.Count() > 1))
        {
            problems.Add($"{group.Key.Code} period {group.Key.Period} appears more than once");
        }
        return problems.Count == 0
            ? catalogue
            : throw new InvalidOperationException($"The service catalogue is inconsistent: {string.Join("; ", problems)}.");
    }
}
