using MassTransit;
using Platform.Contracts.Payments;
using Platform.Messaging;
using Submissions.Api.Data;

namespace Submissions.Api.Consumers;

/// <summary>A commissioner approved the payment: the submission becomes <c>approved</c> and can no longer be amended.</summary>
public sealed class PaymentApprovedConsumer(SubmissionsDbContext db, ILogger<PaymentApprovedConsumer> logger)
    : InboxConsumer<PaymentApproved, SubmissionsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<PaymentApproved> context)
    {
        var e = context.Message;
        var submission = await SubmissionEvents.FindAsync(Db, e.SubmissionId, e.SubmissionVersion, logger, nameof(PaymentApproved), context.CancellationToken);
        submission?.RecordAmendmentLock(e.LocksAmendments);
        submission?.RecordApproved(e.ApprovedByName ?? e.ApprovedBy, e.ApprovedAt);
    }
}
