namespace Notifications.Api.Domain;

/// <summary>
/// Someone Notifications can tell things, as Identity's events describe them. Events arrive on separate queues,
/// so each group of fields keeps the time of the event that set it and an older event never overwrites a newer one
/// (a contact change that overtakes the registration still wins).
/// </summary>
public sealed class Person
{
    public required Guid UserId { get; init; }
    public string? Email { get; private set; }
    public string? DisplayName { get; private set; }
    public string[] Roles { get; private set; } = [];
    public string? PracticeOds { get; private set; }
    public string? Icb { get; private set; }
    public DateTimeOffset? RegisteredAt { get; private set; }
    public DateTimeOffset? ContactChangedAt { get; private set; }
    public DateTimeOffset? DisabledAt { get; private set; }
    /// <summary>Optional kinds this person turned off by email (they still appear in the app).</summary>
    public string[] MutedEmailKinds { get; private set; } = [];
    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsActive => DisabledAt is null;

    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public void Register(string email, string displayName, IReadOnlyList<string> roles, string? practiceOds, string? icb,
        DateTimeOffset registeredAt, DateTimeOffset now)
    {
        Roles = [.. roles];
        PracticeOds = practiceOds;
        Icb = icb;
        RegisteredAt = registeredAt;
        if (ContactChangedAt is null || ContactChangedAt < registeredAt)
        {
            Email = email;
            DisplayName = displayName;
            ContactChangedAt = registeredAt;
        }
        UpdatedAt = now;
    }

    public void ChangeContact(string email, string displayName, DateTimeOffset changedAt, DateTimeOffset now)
    {
        if (ContactChangedAt is not null && ContactChangedAt > changedAt) return;
        Email = email;
        DisplayName = displayName;
        ContactChangedAt = changedAt;
        UpdatedAt = now;
    }

    public void Disable(string email, string? practiceOds, DateTimeOffset disabledAt, DateTimeOffset now)
    {
        DisabledAt ??= disabledAt;
        Email ??= email;
        PracticeOds ??= practiceOds;
        UpdatedAt = now;
    }

    public void MuteEmails(IEnumerable<string> kinds, DateTimeOffset now)
    {
        string[] muted = [.. kinds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (muted.SequenceEqual(MutedEmailKinds, StringComparer.Ordinal)) return;
        MutedEmailKinds = muted;
        UpdatedAt = now;
    }
}
