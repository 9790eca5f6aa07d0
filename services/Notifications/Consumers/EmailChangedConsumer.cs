using Microsoft.Extensions.Options;
using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
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
        var model = new EmailChangedModel(formats.DateTime(changed.ChangedAt), changed.Email, changed.UndoLink?.ToString() ?? "",
            changed.UndoLinkExpiresAt is { } expiresAt ? formats.DateTime(expiresAt) : "");
        var recipients = new RecipientList().Add(new Recipient(changed.UserId, previous, changed.DisplayName, "previous-address", []));
        Queue(messageId, NotificationKinds.EmailChanged, model, recipients, options.Value.Link(""));
        return Task.CompletedTask;
    }
}
