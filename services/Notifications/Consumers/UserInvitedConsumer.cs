using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
using Platform.Contracts.Identity;

namespace Notifications.Api.Consumers;

/// <summary>Sends the invited person their single-use set-password link (by email only: the link must not sit in an inbox page).</summary>
public sealed class UserInvitedConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory, Formats formats)
    : NotificationConsumer<UserInvited>(db, notifier)
{
    protected override async Task Notify(UserInvited invited, Guid messageId, CancellationToken cancellationToken)
    {
        var inviter = invited.InvitedBy is { } by ? await directory.FindAsync(by, cancellationToken) : null;
        var model = new UserInvitedModel(invited.PracticeOds, await directory.PracticeNameAsync(invited.PracticeOds, cancellationToken), invited.Role,
            inviter?.DisplayName ?? "", invited.SetPasswordLink.ToString(), formats.DateTime(invited.LinkExpiresAt));
        var recipients = new RecipientList().Add(new Recipient(invited.UserId, invited.Email, invited.DisplayName, "invitee", []));
        Queue(messageId, NotificationKinds.UserInvited, model, recipients);
    }
}
