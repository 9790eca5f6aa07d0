using Microsoft.Extensions.Options;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Extensions;
using Notifications.Api.Services;
using Platform.Contracts.Identity;

namespace Notifications.Api.Consumers;

/// <summary>
/// Tells a practice's admins that one of their users is locked out after too many failed sign-ins, until when, and where
/// to help. The admins are the directory's active practice admins plus any address the event names that the directory
/// does not know yet; the locked person is not among them.
/// </summary>
public sealed class UserLockedOutConsumer(
    NotificationsDbContext db, Notifier notifier, RecipientDirectory directory, IOptions<MessageOptions> options, Formats formats)
    : NotificationConsumer<UserLockedOut>(db, notifier)
{
    protected override async Task Notify(UserLockedOut locked, Guid messageId, CancellationToken cancellationToken)
    {
        var recipients = new RecipientList();
        var admins = await directory.PracticeAdminsAsync(locked.PracticeOds, cancellationToken);
        recipients.AddRange(admins.Where(admin => admin.UserId != locked.UserId).Select(admin => Recipient.From(admin, "admin")));
        recipients.AddRange(locked.PracticeAdminEmails
            .Where(email => !string.Equals(email, locked.Email, StringComparison.OrdinalIgnoreCase))
            .Select(email => Recipient.AddressOnly(email, "practice admin", "admin")));

        var messages = options.Value;
        var practice = locked.PracticeOds is null ? null : await directory.PracticeAsync(locked.PracticeOds, cancellationToken);
        var usersUrl = messages.Link(messages.PracticeUsersPath, ods: locked.PracticeOds);
        var model = new Dictionary<string, object?>
        {
            ["user_name"] = locked.DisplayName,
            ["user_email"] = locked.Email,
            ["practice_name"] = practice?.Name ?? locked.PracticeOds ?? "",
            ["locked_until"] = formats.DateTime(locked.LockedUntil),
            ["users_url"] = usersUrl,
            ["reset_url"] = messages.Link(messages.ResetPasswordPath),
        };
        Notifier.Queue(messageId, NotificationKinds.UserLockedOut, model, recipients, usersUrl);
    }
}
