using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
using Platform.Contracts.Identity;

namespace Notifications.Api.Consumers;

/// <summary>Sends the single-use reset link to the account's address (by email only), whatever the preferences.</summary>
public sealed class PasswordResetRequestedConsumer(NotificationsDbContext db, Notifier notifier, Formats formats)
    : NotificationConsumer<PasswordResetRequested>(db, notifier)
{
    protected override Task Notify(PasswordResetRequested requested, Guid messageId, CancellationToken cancellationToken)
    {
        var model = new PasswordResetModel(requested.ResetLink.ToString(), formats.DateTime(requested.LinkExpiresAt));
        var recipients = new RecipientList().Add(new Recipient(requested.UserId, requested.Email, requested.DisplayName, "owner", []));
        Queue(messageId, NotificationKinds.PasswordReset, model, recipients);
        return Task.CompletedTask;
    }
}
