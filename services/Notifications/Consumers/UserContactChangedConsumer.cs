using MassTransit;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Platform.Contracts.Identity;
using Platform.Messaging;

namespace Notifications.Api.Consumers;

/// <summary>Moves the person's mail to their new address (an older change never overwrites a newer one).</summary>
public sealed class UserContactChangedConsumer(NotificationsDbContext db, TimeProvider clock) : InboxConsumer<UserContactChanged, NotificationsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<UserContactChanged> context)
    {
        var changed = context.Message;
        var person = await Db.People.FindAsync([changed.UserId], context.CancellationToken);
        if (person is null)
        {
            // It overtook the registration: keep the contact; the registration fills in the rest.
            person = new Person { UserId = changed.UserId };
            Db.People.Add(person);
        }
        person.ChangeContact(changed.Email, changed.DisplayName, changed.ChangedAt, clock.GetUtcNow());
    }
}
