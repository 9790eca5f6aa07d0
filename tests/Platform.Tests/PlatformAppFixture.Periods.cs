using Platform.Client.Submissions.Models;

namespace Platform.Tests;

public sealed partial class PlatformAppFixture
{
    private readonly SemaphoreSlim periodsLock = new(1, 1);
    private readonly HashSet<(string Practice, string Service, string Period)> reservedPeriods = [];
    private Dictionary<string, List<string>>? openPeriods;

    /// <summary>
    /// A reporting period of <paramref name="serviceCode"/> that is open today (from the catalogue, so the tests do not
    /// depend on the date they run) and that no other test of this run submits for <paramref name="practiceOds"/>: a
    /// (practice, service, period) once paid is closed, and a second submission for it would amend the first.
    /// </summary>
    public async Task<string> ReservePeriodAsync(string practiceOds, string serviceCode, CancellationToken cancellationToken)
    {
        await periodsLock.WaitAsync(cancellationToken);
        try
        {
            openPeriods ??= await ReadOpenPeriodsAsync(cancellationToken);
            var open = openPeriods.GetValueOrDefault(serviceCode, []);
            var period = open.FirstOrDefault(candidate => !reservedPeriods.Contains((practiceOds, serviceCode, candidate)))
                ?? throw new InvalidOperationException($"Every {serviceCode} period open today ({string.Join(", ", open)}) is already used by "
                    + $"another test for {practiceOds}: use another practice or service.");
            reservedPeriods.Add((practiceOds, serviceCode, period));
            return period;
        }
        finally
        {
            periodsLock.Release();
        }
    }

    /// <summary>Open periods by service code, the latest first (its window stays open longest).</summary>
    private async Task<Dictionary<string, List<string>>> ReadOpenPeriodsAsync(CancellationToken cancellationToken)
    {
        var reader = await SignedInAsAsync("user@a81001.demo", cancellationToken);
        var catalogue = await reader.GetAsync("/api/submissions/catalogue", CatalogueView.CreateFromDiscriminatorValue, cancellationToken);
        return catalogue.Years!
            .SelectMany(year => year.Services!)
            .GroupBy(service => service.Code!)
            .ToDictionary(group => group.Key, group => group
                .SelectMany(service => service.Periods!)
                .Where(period => period.Window == "open")
                .Select(period => period.Period!)
                .OrderDescending(StringComparer.Ordinal)
                .ToList());
    }
}
