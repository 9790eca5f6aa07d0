namespace Platform.Bench.Platform;

/// <summary>A (service, period) open for submissions now whose payment needs no approval, with an indicator to report.</summary>
public sealed record Slot(string FinancialYear, string Service, string Period, string Indicator)
{
    public object Body(string practiceOds, decimal value) => new
    {
        practiceOds,
        serviceCode = Service,
        period = Period,
        values = new[] { new { indicator = Indicator, value } },
    };

    public override string ToString() => $"{Service} {Period}";
}

/// <summary>
/// Reads, at run time, which reporting windows are open (Submissions' catalogue) and which services are paid without a
/// commissioner's approval (Payments' rules), so the benchmark never hard-codes a period that will close.
/// </summary>
public static class Catalogue
{
    public static async Task<IReadOnlyList<Slot>> AutomaticSlotsAsync(PlatformApi api, string token, CancellationToken cancellationToken)
    {
        var catalogue = await api.GetJsonAsync("api/submissions/catalogue", token, cancellationToken);
        var rules = await api.GetJsonAsync("api/payments/rules", token, cancellationToken);
        var automatic = rules.GetProperty("years").EnumerateArray()
            .SelectMany(year => year.GetProperty("services").EnumerateArray()
                .Where(service => !service.GetProperty("requiresApproval").GetBoolean())
                .Select(service => (Year: year.GetProperty("financialYear").GetString()!, Service: service.GetProperty("serviceCode").GetString()!)))
            .ToHashSet();

        var slots = new List<Slot>();
        foreach (var year in catalogue.GetProperty("years").EnumerateArray())
        {
            var financialYear = year.GetProperty("financialYear").GetString()!;
            foreach (var service in year.GetProperty("services").EnumerateArray())
            {
                var code = service.GetProperty("code").GetString()!;
                if (!automatic.Contains((financialYear, code)))
                {
                    continue;
                }

                var indicator = service.GetProperty("indicators")[0].GetProperty("code").GetString()!;
                slots.AddRange(service.GetProperty("periods").EnumerateArray()
                    .Where(period => period.GetProperty("window").GetString() == "open")
                    .Select(period => new Slot(financialYear, code, period.GetProperty("period").GetString()!, indicator)));
            }
        }

        return slots.Count > 0
            ? slots
            : throw new InvalidOperationException("No reporting window of a service paid without approval is open today: the submissions scenarios need one.");
    }
}
