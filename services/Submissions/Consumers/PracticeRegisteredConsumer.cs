using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.Contracts.Identity;
using Platform.Messaging;
using Submissions.Api.Data;
using Submissions.Api.Domain;

namespace Submissions.Api.Consumers;

/// <summary>Keeps the practice → ICB map that scopes what a commissioner sees.</summary>
public sealed class PracticeRegisteredConsumer(SubmissionsDbContext db) : InboxConsumer<PracticeRegistered, SubmissionsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<PracticeRegistered> context)
    {
        var e = context.Message;
        var practice = await Db.Practices.FirstOrDefaultAsync(p => p.Ods == e.PracticeOds, context.CancellationToken);
        if (practice is null)
        {
            Db.Practices.Add(new Practice { Ods = e.PracticeOds, Name = e.Name, Icb = e.Icb, RegisteredAt = e.RegisteredAt });
        }
        else if (e.RegisteredAt >= practice.RegisteredAt)
        {
            practice.Name = e.Name;
            practice.Icb = e.Icb;
            practice.RegisteredAt = e.RegisteredAt;
        }
    }
}
