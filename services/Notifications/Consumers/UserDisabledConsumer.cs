using MassTransit;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Platform.Contracts.Identity;
using Platform.Messaging;

namespace Notifications.Api.Consumers;

/// <summary>A disabled person is told nothing more (their in-app notices stay).</summary>
public sealed class UserDisabledConsumer(NotificationsDbContext db, TimeProvider clock) : InboxConsumer<UserDisabled, NotificationsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<UserDisabled> context)
    {
        var disabled = context.Message;
        var person = await Db.People.FindAsync([disabled.UserId], context.CancellationToken);
        if (person is null)
        {
            person = new Person { UserId = disabled.UserId };
            Db.People.Add(person);
        }
        person.Disable(disabled.Email, disabled.PracticeOds, disabled.DisabledAt, clock.GetUtcNow());
    }
}
