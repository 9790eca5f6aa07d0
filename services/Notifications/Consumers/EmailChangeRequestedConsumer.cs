using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
using Platform.Contracts.Identity;

namespace Notifications.Api.Consumers;

/// <summary>Sends the link that confirms a new sign-in email to that address (by email only: it proves the mailbox).</summary>
public sealed class EmailChangeRequestedConsumer(NotificationsDbContext db, Notifier notifier, Formats formats)
    : NotificationConsumer<EmailChangeRequested>(db, notifier)
{
    protected override Task Notify(EmailChangeRequested requested, Guid messageId, CancellationToken cancellationToken)
    {
        var model = new EmailConfirmationModel(requested.ConfirmLink.ToString(), formats.DateTime(requested.LinkExpiresAt), requested.NewEmail);
        var recipients = new RecipientList().Add(new Recipient(requested.UserId, requested.NewEmail, requested.DisplayName, "new-address", []));
        Queue(messageId, NotificationKinds.EmailConfirmation, model, recipients);
        return Task.CompletedTask;
    }
}
