using MassTransit;
using Notifications.Api.Application;
using Notifications.Api.Data;
using Notifications.Api.Domain;
using Platform.Contracts.Identity;
using Platform.Messaging;

namespace Notifications.Api.Consumers;

/// <summary>Keeps the practice's name (for messages) and ICB (for routing) in the directory.</summary>
public sealed class PracticeRegisteredConsumer(NotificationsDbContext db, RecipientDirectory directory) : InboxConsumer<PracticeRegistered, NotificationsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<PracticeRegistered> context)
    {
        var registered = context.Message;
        var practice = await Db.Practices.FindAsync([registered.PracticeOds], context.CancellationToken);
        if (practice is null)
        {
            Db.Practices.Add(new DirectoryPractice { Ods = registered.PracticeOds, Name = registered.Name, Icb = registered.Icb, RegisteredAt = registered.RegisteredAt });
        }
        else if (practice.RegisteredAt <= registered.RegisteredAt)
        {
            practice.Name = registered.Name;
            practice.Icb = registered.Icb;
            practice.RegisteredAt = registered.RegisteredAt;
            AfterCommit(() => directory.ForgetPracticeName(registered.PracticeOds));
        }
    }
}
