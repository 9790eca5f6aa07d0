using Microsoft.Extensions.Options;
using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
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
        var admins = await directory.AdminsAsync(locked.PracticeOds, locked.PracticeAdminEmails, cancellationToken);
        var recipients = new RecipientList().AddRange(admins.Where(admin =>
            admin.UserId != locked.UserId && !string.Equals(admin.Email, locked.Email, StringComparison.OrdinalIgnoreCase)));

        var messages = options.Value;
        var practiceName = locked.PracticeOds is null ? "" : await directory.PracticeNameAsync(locked.PracticeOds, cancellationToken);
        var usersUrl = messages.Link(messages.PracticeUsersPath, ods: locked.PracticeOds);
        var model = new UserLockedOutModel(locked.DisplayName, locked.Email, practiceName, formats.DateTime(locked.LockedUntil),
            usersUrl, messages.Link(messages.ResetPasswordPath));
        Queue(messageId, NotificationKinds.UserLockedOut, model, recipients, usersUrl);
    }
}
