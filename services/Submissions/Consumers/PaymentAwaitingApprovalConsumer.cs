using MassTransit;
using Platform.Contracts.Payments;
using Platform.Messaging;
using Submissions.Api.Data;

namespace Submissions.Api.Consumers;

/// <summary>The payment waits for a commissioner: the submission becomes <c>awaiting-approval</c> (reminders change nothing here).</summary>
public sealed class PaymentAwaitingApprovalConsumer(SubmissionsDbContext db, TimeProvider clock, ILogger<PaymentAwaitingApprovalConsumer> logger)
    : InboxConsumer<PaymentAwaitingApproval, SubmissionsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<PaymentAwaitingApproval> context)
    {
        var e = context.Message;
        var submission = await SubmissionEvents.FindAsync(Db, e.SubmissionId, e.SubmissionVersion, logger, nameof(PaymentAwaitingApproval), context.CancellationToken);
        submission?.RecordAwaitingApproval(e.Amount, e.Reason, e.DecideBy, clock.GetUtcNow());
    }
}
