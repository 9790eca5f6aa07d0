using MassTransit;
using Microsoft.EntityFrameworkCore;
using Payments.Api.Data;
using Payments.Api.Domain;
using Platform.Contracts.Identity;
using Platform.Messaging;

namespace Payments.Api.Consumers;

/// <summary>
/// Learns a practice's ICB (who approves its payments) and list size (the QOF adjustment) from Identity. Payments already waiting
/// for a practice Payments did not know yet get its ICB, so its commissioners see them.
/// </summary>
public sealed class PracticeRegisteredConsumer(PaymentsDbContext db) : InboxConsumer<PracticeRegistered, PaymentsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<PracticeRegistered> context)
    {
        var e = context.Message;
        await PracticeLock.TakeAsync(Db, e.PracticeOds, context.CancellationToken);
        var practice = await Db.Practices.FirstOrDefaultAsync(p => p.Ods == e.PracticeOds, context.CancellationToken);
        if (practice is null)
        {
            Db.Practices.Add(new Practice { Ods = e.PracticeOds, Icb = e.Icb, ListSize = e.ListSize, RegisteredAt = e.RegisteredAt });
        }
        else if (e.RegisteredAt >= practice.RegisteredAt)
        {
            (practice.Icb, practice.ListSize, practice.RegisteredAt) = (e.Icb, e.ListSize, e.RegisteredAt);
        }
        else
        {
            return;
        }
        await foreach (var waiting in Db.Payments.Where(p => p.PracticeOds == e.PracticeOds && p.Icb == null).AsAsyncEnumerable())
        {
            waiting.Icb = e.Icb;
        }
    }
}
