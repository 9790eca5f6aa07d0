using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Services;
using Platform.Contracts.Identity;

namespace Notifications.Api.Consumers;

/// <summary>Sends the invited person their single-use set-password link (by email only: the link must not sit in an inbox page).</summary>
public sealed class UserInvitedConsumer(NotificationsDbContext db, Notifier notifier, RecipientDirectory directory, Formats formats)
    : NotificationConsumer<UserInvited>(db, notifier)
{
    protected override async Task Notify(UserInvited invited, Guid messageId, CancellationToken cancellationToken)
    {
        var practice = await directory.PracticeAsync(invited.PracticeOds, cancellationToken);
        var inviter = invited.InvitedBy is { } by ? await directory.FindAsync(by, cancellationToken) : null;
        var model = new Dictionary<string, object?>
        {
            ["practice_ods"] = invited.PracticeOds,
            ["practice_name"] = practice?.Name ?? invited.PracticeOds,
            ["role"] = invited.Role,
            ["invited_by"] = inviter?.DisplayName ?? "",
            ["link"] = invited.SetPasswordLink.ToString(),
            ["link_expires_at"] = formats.DateTime(invited.LinkExpiresAt),
        };
        var recipients = new RecipientList().Add(new Recipient(invited.UserId, invited.Email, invited.DisplayName, "invitee", []));
        Notifier.Queue(messageId, NotificationKinds.UserInvited, model, recipients);
    }
}
