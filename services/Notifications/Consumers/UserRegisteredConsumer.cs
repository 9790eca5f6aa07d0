using MassTransit;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Platform.Contracts.Identity;
using Platform.Messaging;

namespace Notifications.Api.Consumers;

/// <summary>Adds the person to the recipient directory (or completes the row an earlier-arriving event started).</summary>
public sealed class UserRegisteredConsumer(NotificationsDbContext db, TimeProvider clock) : InboxConsumer<UserRegistered, NotificationsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<UserRegistered> context)
    {
        var registered = context.Message;
        var person = await Db.People.FindAsync([registered.UserId], context.CancellationToken);
        if (person is null)
        {
            person = new Person { UserId = registered.UserId };
            Db.People.Add(person);
        }
        person.Register(registered.Email, registered.DisplayName, registered.Roles, registered.PracticeOds, registered.Icb,
            registered.RegisteredAt, clock.GetUtcNow());
    }
}
