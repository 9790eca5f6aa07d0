using Microsoft.Extensions.Options;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Extensions;
using Notifications.Api.Services;
using Platform.Contracts.Identity;

namespace Notifications.Api.Consumers;

/// <summary>
/// Tells the address a person's sign-in email moved away from, so a change someone else made does not go unnoticed:
/// what it became, and a link that puts it back if it was not them. A security notice: it cannot be turned off.
/// </summary>
public sealed class EmailChangedConsumer(NotificationsDbContext db, Notifier notifier, IOptions<MessageOptions> options, Formats formats)
    : NotificationConsumer<UserContactChanged>(db, notifier)
{
    protected override Task Notify(UserContactChanged changed, Guid messageId, CancellationToken cancellationToken)
    {
        if (changed.PreviousEmail is not { Length: > 0 } previous) return Task.CompletedTask; // only the name changed
        var messages = options.Value;
        var model = new Dictionary<string, object?>
        {
            ["changed_at"] = formats.DateTime(changed.ChangedAt),
            ["new_email"] = changed.Email,
            ["undo_link"] = changed.UndoLink?.ToString(),
            ["undo_link_expires_at"] = changed.UndoLinkExpiresAt is { } expiresAt ? formats.DateTime(expiresAt) : null,
        };
        var recipients = new RecipientList().Add(new Recipient(changed.UserId, previous, changed.DisplayName, "previous-address", []));
        Notifier.Queue(messageId, NotificationKinds.EmailChanged, model, recipients, messages.Link(""));
        return Task.CompletedTask;
    }
}
