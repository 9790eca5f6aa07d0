using Payments.Api.Data;
using Payments.Api.Domain;

namespace Payments.Api.Application;

/// <summary>
/// Where money is posted. It runs inside the posting transaction: what it adds to <paramref name="db"/> commits with the payment's
/// move to paid and its PaymentSettled event, or not at all. An exception is a failed attempt (retried, then payment-failed).
/// </summary>
public interface ILedger
{
    Task<LedgerEntry> PostAsync(PaymentsDbContext db, Payment payment, string remittanceReference, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The platform's own ledger table, whose unique keys refuse a second entry for a payment, a submission version or a period.</summary>
public sealed class DatabaseLedger : ILedger
{
    public Task<LedgerEntry> PostAsync(PaymentsDbContext db, Payment payment, string remittanceReference, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entry = new LedgerEntry
        {
            PaymentId = payment.Id,
            SubmissionId = payment.SubmissionId,
            SubmissionVersion = payment.SubmissionVersion,
            PracticeOds = payment.PracticeOds,
            ServiceCode = payment.ServiceCode,
            Period = payment.Period,
            Amount = payment.Amount,
            Currency = payment.Currency,
            RemittanceReference = remittanceReference,
            PostedAt = now,
        };
        db.Ledger.Add(entry);
        return Task.FromResult(entry);
    }
}
