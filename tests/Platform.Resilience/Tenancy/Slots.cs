namespace Platform.Resilience.Tenancy;

/// <summary>
/// One (practice, service, period) that can still be submitted: its window is open today and nothing was submitted for it
/// in this run. A period once paid is locked, so every submission item takes its own slot.
/// </summary>
public sealed record Slot(TenantPractice Practice, string ServiceCode, string ServiceKind, string Period, string Indicator, decimal Maximum)
{
    public bool NeedsApproval => ServiceKind == "qof";

    /// <summary>A body with one indicator; item counts stay small so no payment crosses the approval threshold.</summary>
    public object Body(decimal value) => new
    {
        practiceOds = Practice.Ods,
        serviceCode = ServiceCode,
        period = Period,
        values = new[] { new { indicator = Indicator, value } },
    };

    public override string ToString() => $"{Practice.Ods} {ServiceCode} {Period}";
}

/// <summary>The open slots of every test practice, read from the catalogue at run time (never hard-coded periods).</summary>
public sealed class SlotPool
{
    private readonly List<Slot> slots;

    private SlotPool(IEnumerable<Slot> slots) => this.slots = [.. slots];

    public int ItemsLeft => Count(slot => !slot.NeedsApproval);

    public int ApprovalsLeft => Count(slot => slot.NeedsApproval);

    /// <summary>A slot paid without approval (item services: FLU, CHILD_IMMS, LDHC), of any practice or of the one given.</summary>
    public Slot TakeItem(TenantPractice? practice = null) =>
        Take(slot => !slot.NeedsApproval && (practice is null || slot.Practice == practice), $"No open item slot{(practice is null ? "" : $" of {practice.Ods}")} is left.");

    /// <summary>A slot that waits for a commissioner (QOF), of a practice in <paramref name="icb"/> (by default the one whose commissioner decides).</summary>
    public Slot TakeApproval(string icb = Tenants.ApprovingIcb) =>
        Take(slot => slot.NeedsApproval && slot.Practice.Icb == icb, $"No open approval slot in {icb} is left.");

    private Slot Take(Func<Slot, bool> match, string none)
    {
        lock (slots)
        {
            var slot = slots.FirstOrDefault(match) ?? throw new InvalidOperationException(none);
            slots.Remove(slot);
            return slot;
        }
    }

    private int Count(Func<Slot, bool> match)
    {
        lock (slots) return slots.Count(match);
    }

    /// <summary>
    /// From <c>GET /api/submissions/catalogue</c>: every period whose window is open now, for every practice.
    /// Practices are interleaved so consecutive slots belong to different practices.
    /// </summary>
    public static SlotPool From(CatalogueView catalogue, IReadOnlyList<TenantPractice> practices)
    {
        var offered = new List<(string Code, string Kind, string Period, string Indicator, decimal Maximum)>();
        foreach (var year in catalogue.Years)
        {
            foreach (var service in year.Services)
            {
                var indicator = service.Indicators.First();
                var maximum = indicator.MaxPoints ?? indicator.MaxValue ?? 100m;
                foreach (var period in service.Periods.Where(p => p.Window == "open"))
                {
                    offered.Add((service.Code, service.Kind, period.Period, indicator.Code, maximum));
                }
            }
        }

        // Round robin: every practice's first slot, then every practice's second one, and so on.
        var slots = practices
            .SelectMany((practice, practiceIndex) => offered.Select((service, rank) =>
                (rank, practiceIndex, slot: new Slot(practice, service.Code, service.Kind, service.Period, service.Indicator, service.Maximum))))
            .OrderBy(entry => entry.rank)
            .ThenBy(entry => entry.practiceIndex)
            .Select(entry => entry.slot);
        return new SlotPool(slots);
    }
}
