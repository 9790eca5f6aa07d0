using MassTransit;
using Platform.Contracts.Payments;
using Platform.Messaging;
using Submissions.Api.Data;
using Submissions.Api.Domain;

namespace Submissions.Api.Consumers;

/// <summary>The payment was worked out: the submission becomes <c>calculated</c> and shows the amount line by line.</summary>
public sealed class PaymentCalculatedConsumer(SubmissionsDbContext db, ILogger<PaymentCalculatedConsumer> logger)
    : InboxConsumer<PaymentCalculated, SubmissionsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<PaymentCalculated> context)
    {
        var e = context.Message;
        var submission = await SubmissionEvents.FindAsync(Db, e.SubmissionId, e.SubmissionVersion, logger, nameof(PaymentCalculated), context.CancellationToken);
        submission?.RecordCalculated(PaymentSummary.Of(e.PaymentId, e.Amount, e.Currency, SubmissionStatus.Calculated, e.Lines),
            e.RequiresApproval, e.CalculatedAt);
    }
}
