using Platform.Resilience.Running;
using Platform.Resilience.Tenancy;

namespace Platform.Resilience.Faults;

/// <summary>A password brought to one warning threshold: exactly one warning (that threshold's) is due for it.</summary>
public sealed record WarningItem(WarnedUser User, int ThresholdDays)
{
    /// <summary>At 7 days, 1 day and expiry the practice's admins are told too.</summary>
    public bool TellsAdmins => ThresholdDays <= 7;

    public override string ToString() => $"{User.Email} ({ThresholdDays}-day)";
}

/// <summary>
/// Puts credential warnings in flight: moves the expiry of real passwords (set through invitation links) to just inside
/// each threshold - 30, 14, 7 and 1 days and past expiry - and marks them due, as the passing of time would. This is the
/// one thing the tests write to a service's database directly: it stands in for the calendar. The expiry scanners (two
/// replicas, every 2 seconds) then find them, record each notice once and publish it through the outbox.
/// </summary>
public static class CredentialWarnings
{
    private static readonly (int Threshold, TimeSpan ExpiresIn)[] Steps =
    [
        (30, TimeSpan.FromDays(29.5)),
        (14, TimeSpan.FromDays(13.5)),
        (7, TimeSpan.FromDays(6.5)),
        (1, TimeSpan.FromHours(12)),
        (0, TimeSpan.FromMinutes(-5)),
    ];

    public static async Task<IReadOnlyList<WarningItem>> BringForwardAsync(ResiliencePlatform platform, Tenants tenants, int count, CancellationToken cancellationToken)
    {
        var items = Enumerable.Range(0, count).Select(i => new WarningItem(tenants.TakeWarnedUser(), Steps[i % Steps.Length].Threshold)).ToList();
        await using var batch = platform.Database("identitydb").CreateBatch();
        foreach (var (item, index) in items.Select((item, index) => (item, index)))
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = "UPDATE users SET password_expires_at = now() + @expiresIn, next_expiry_notice_at = now() WHERE id = @id";
            command.Parameters.AddWithValue("expiresIn", Steps[index % Steps.Length].ExpiresIn);
            command.Parameters.AddWithValue("id", item.User.Id);
            batch.BatchCommands.Add(command);
        }

        var changed = await batch.ExecuteNonQueryAsync(cancellationToken);
        Assert.Equal(items.Count, changed);
        return items;
    }
}
