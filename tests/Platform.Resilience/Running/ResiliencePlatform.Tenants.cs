using Platform.Resilience.Tenancy;

namespace Platform.Resilience.Running;

public sealed partial class ResiliencePlatform
{
    private readonly Lazy<Task<Tenants>> _tenants;

    public ResiliencePlatform() => _tenants = new(async () =>
    {
        RunLog.Write("creating the test practices and people");
        var tenants = await Tenants.CreateAsync(this, _stopping.Token);
        RunLog.Write($"created {tenants.Practices.Count} practices, {tenants.Slots.ItemsLeft} item and {tenants.Slots.ApprovalsLeft} approval slots");
        return tenants;
    });

    /// <summary>The test practices, people and slots, created once for the run on first use.</summary>
    public Task<Tenants> TenantsAsync(CancellationToken cancellationToken) => _tenants.Value.WaitAsync(cancellationToken);
}
