using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.Contracts.Payments;
using Platform.Messaging;
using Submissions.Api.Data;
using Submissions.Api.Domain;

namespace Submissions.Api.Consumers;

/// <summary>Records a settled payment on its submission, so the practice sees <c>paid</c> and the remittance reference.</summary>
public sealed class PaymentSettledConsumer(SubmissionsDbContext db, TimeProvider clock, ILogger<PaymentSettledConsumer> logger)
    : InboxConsumer<PaymentSettled, SubmissionsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<PaymentSettled> context)
    {
        var settled = context.Message;
        var submission = await Db.Submissions.FirstOrDefaultAsync(s => s.Id == settled.SubmissionId, context.CancellationToken);
        if (submission is null || submission.Version != settled.SubmissionVersion)
        {
            logger.LogWarning("Payment {PaymentId} settled for unknown submission {SubmissionId} v{Version}",
                settled.PaymentId, settled.SubmissionId, settled.SubmissionVersion);
            return;
        }
        submission.RecordPaid(new PaymentSummary
        {
            PaymentId = settled.PaymentId,
            Amount = settled.Amount,
            Currency = settled.Currency,
            RemittanceReference = settled.RemittanceReference,
            Outcome = SubmissionStatus.Paid,
            Lines = [.. settled.Lines.Select(l => new PaymentSummaryLine { Indicator = l.Indicator, Quantity = l.Quantity, Rate = l.Rate, Amount = l.Amount })],
        }, clock.GetUtcNow());
    }
}
