using Platform.Resilience.Tenancy;

namespace Platform.Resilience.Running;

public sealed partial class ResiliencePlatform
{
    private readonly Lazy<Task<Tenants>> tenants;

    public ResiliencePlatform() => this.tenants = new(async () =>
    {
        RunLog.Write("creating the test practices and people");
        var tenants = await Tenants.CreateAsync(this, stopping.Token);
        RunLog.Write($"created {tenants.Practices.Count} practices, {tenants.Slots.ItemsLeft} item and {tenants.Slots.ApprovalsLeft} approval slots");
        return tenants;
    });

    /// <summary>The test practices, people and slots, created once for the run on first use.</summary>
    public Task<Tenants> TenantsAsync(CancellationToken cancellationToken) => tenants.Value.WaitAsync(cancellationToken);
}
