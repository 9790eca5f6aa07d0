using Microsoft.Extensions.Options;
using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Notifications.Api.Templates;
using Platform.Contracts.Identity;

namespace Notifications.Api.Consumers;

/// <summary>
/// Tells a person their password was changed, reset or set, so someone else's change does not go unnoticed: what to do
/// if it was not them. A security notice: it cannot be turned off.
/// </summary>
public sealed class PasswordChangedConsumer(
    NotificationsDbContext db, Notifier notifier, RecipientDirectory directory, IOptions<MessageOptions> options, Formats formats)
    : NotificationConsumer<PasswordChanged>(db, notifier)
{
    protected override async Task Notify(PasswordChanged changed, Guid messageId, CancellationToken cancellationToken)
    {
        var person = await directory.FindAsync(changed.UserId, cancellationToken);
        var resetUrl = options.Value.Link(options.Value.ResetPasswordPath);
        var how = changed.Method switch
        {
            PasswordChangeMethods.ExpiredChange => "changed after it expired",
            PasswordChangeMethods.Reset => "reset with a link sent by email",
            PasswordChangeMethods.Invitation => "set for the first time, from your invitation",
            _ => "changed",
        };
        var model = new PasswordChangedModel(formats.DateTime(changed.ChangedAt), how, InPractice: changed.PracticeOds is not null, resetUrl);
        // The event's address is the one Identity holds now; the directory's may lag behind it.
        var recipients = new RecipientList().Add(new Recipient(
            changed.UserId, changed.Email, person?.DisplayName ?? changed.DisplayName, "owner", person?.MutedEmailKinds ?? []));
        Queue(messageId, NotificationKinds.PasswordChanged, model, recipients, resetUrl);
    }
}
