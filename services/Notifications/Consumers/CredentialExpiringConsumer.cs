using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Platform.Contracts.Identity;

namespace Notifications.Api.Consumers;

/// <summary>Warns that a password or client secret expires soon (30, 14, 7 and 1 days before): when, and what to do.</summary>
public sealed class CredentialExpiringConsumer(NotificationsDbContext db, Notifier notifier, CredentialNotices notices)
    : NotificationConsumer<CredentialExpiring>(db, notifier)
{
    protected override async Task Notify(CredentialExpiring expiring, Guid messageId, CancellationToken cancellationToken)
    {
        var (recipients, model, link) = await notices.PrepareAsync(new CredentialFacts(expiring.Kind, expiring.OwnerUserId, expiring.Email,
            expiring.DisplayName, expiring.PracticeOds, expiring.ExpiresAt, expiring.ThresholdDays, expiring.PracticeAdminEmails), cancellationToken);
        Queue(messageId, NotificationKinds.CredentialExpiring, model, recipients, link);
    }
}
