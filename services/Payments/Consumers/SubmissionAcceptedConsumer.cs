using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Payments.Api.Data;
using Payments.Api.Domain;
using Payments.Api.Extensions;
using Platform.Contracts.Payments;
using Platform.Contracts.Submissions;
using Platform.Messaging;

namespace Payments.Api.Consumers;

/// <summary>
/// Calculates an accepted submission, posts it to the ledger and announces <see cref="PaymentSettled"/>,
/// all in one transaction.
/// </summary>
public sealed class SubmissionAcceptedConsumer(PaymentsDbContext db, IOptions<PaymentOptions> options, TimeProvider clock,
    ILogger<SubmissionAcceptedConsumer> logger)
    : InboxConsumer<SubmissionAccepted, PaymentsDbContext>(db)
{
    protected override async Task Handle(ConsumeContext<SubmissionAccepted> context)
    {
        var accepted = context.Message;
        var alreadyPaid = await Db.Payments.AnyAsync(
            p => p.SubmissionId == accepted.SubmissionId && p.SubmissionVersion == accepted.Version, context.CancellationToken);
        if (alreadyPaid)
        {
            logger.LogInformation("Submission {SubmissionId} v{Version} already has a payment", accepted.SubmissionId, accepted.Version);
            return;
        }

        var now = clock.GetUtcNow();
        var lines = new PerItemRule(options.Value.FeePerItem).Calculate(accepted.Values.Select(v => (v.Indicator, v.Value)));
        var paymentId = Guid.CreateVersion7();
        var reference = RemittanceReference.For(accepted.PracticeOds, paymentId);
        var payment = new Payment
        {
            Id = paymentId,
            SubmissionId = accepted.SubmissionId,
            SubmissionVersion = accepted.Version,
            PracticeOds = accepted.PracticeOds,
            ServiceCode = accepted.ServiceCode,
            Period = accepted.Period,
            Amount = lines.Sum(l => l.Amount),
            Currency = "GBP",
            Lines = [.. lines],
            Status = PaymentStatus.Settled,
            RemittanceReference = reference,
            CalculatedAt = now,
            SettledAt = now,
        };
        Db.Payments.Add(payment);
        Db.Ledger.Add(new LedgerEntry
        {
            PaymentId = payment.Id,
            SubmissionId = payment.SubmissionId,
            SubmissionVersion = payment.SubmissionVersion,
            PracticeOds = payment.PracticeOds,
            Amount = payment.Amount,
            Currency = payment.Currency,
            RemittanceReference = reference,
            PostedAt = now,
        });
        Db.AddOutboxMessage(new PaymentSettled(payment.Id, payment.SubmissionId, payment.SubmissionVersion, payment.PracticeOds,
            payment.ServiceCode, payment.Period, payment.Amount, payment.Currency,
            [.. lines.Select(l => new PaymentLine(l.Indicator, l.Quantity, l.Rate, l.Amount))], reference, now));
    }
}
