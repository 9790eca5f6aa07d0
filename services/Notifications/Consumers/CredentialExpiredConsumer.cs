using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Platform.Contracts.Identity;

namespace Notifications.Api.Consumers;

/// <summary>Tells the owner (and the practice admins) that a credential has expired and how to replace it.</summary>
public sealed class CredentialExpiredConsumer(NotificationsDbContext db, Notifier notifier, CredentialNotices notices)
    : NotificationConsumer<CredentialExpired>(db, notifier)
{
    protected override async Task Notify(CredentialExpired expired, Guid messageId, CancellationToken cancellationToken)
    {
        var (recipients, model, link) = await notices.PrepareAsync(new CredentialFacts(expired.Kind, expired.OwnerUserId, expired.Email,
            expired.DisplayName, expired.PracticeOds, expired.ExpiresAt, 0, expired.PracticeAdminEmails), cancellationToken);
        Queue(messageId, NotificationKinds.CredentialExpired, model, recipients, link);
    }
}
