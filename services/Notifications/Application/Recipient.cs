using Notifications.Api.Domain;

namespace Notifications.Api.Application;

/// <summary>
/// One person (or only an address) to tell. <see cref="UserId"/> gives them the in-app notice; <see cref="Email"/> the email,
/// unless they turned that kind off. <see cref="Role"/> says why they are told, for the template (<c>owner</c>, <c>admin</c>...).
/// </summary>
public sealed record Recipient(Guid? UserId, string? Email, string DisplayName, string Role, IReadOnlyCollection<string> MutedEmailKinds)
{
    public static Recipient From(Person person, string role) =>
        new(person.UserId, person.Email, person.DisplayName ?? person.Email ?? "colleague", role, person.MutedEmailKinds);

    public static Recipient AddressOnly(string email, string displayName, string role) => new(null, email, displayName, role, []);

    /// <summary>A practice admin an event names whom the directory may not know yet.</summary>
    public static Recipient AdminAddress(string email) => AddressOnly(email, "practice admin", "admin");

    public bool WantsEmail(string kind) => NotificationKinds.IsSecurity(kind) || !MutedEmailKinds.Contains(kind, StringComparer.Ordinal);
}

/// <summary>Who should hear of an event: people in order, one entry per person and per address.</summary>
public sealed class RecipientList
{
    private readonly List<Recipient> recipients = [];

    public IReadOnlyList<Recipient> All => recipients;

    public RecipientList Add(Recipient recipient)
    {
        // The first reason a person is told wins (the owner before an admin); an address is never told twice.
        var duplicate = recipients.Any(existing =>
            (recipient.UserId is not null && existing.UserId == recipient.UserId)
            || (recipient.Email is not null && string.Equals(existing.Email, recipient.Email, StringComparison.OrdinalIgnoreCase)));
        if (!duplicate && (recipient.UserId is not null || !string.IsNullOrWhiteSpace(recipient.Email)))
        {
            recipients.Add(recipient);
        }
        return this;
    }

    public RecipientList AddRange(IEnumerable<Recipient> more)
    {
        foreach (var recipient in more) Add(recipient);
        return this;
    }
}
