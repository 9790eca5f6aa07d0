using Payments.Api.Domain;

namespace Payments.Api.Data;

public static class PaymentQueries
{
    /// <summary>The payments the posting job may post at <paramref name="now"/>, longest due first (<see cref="Payment.IsDueForPosting"/> in SQL).</summary>
    public static IQueryable<Payment> DueForPosting(this IQueryable<Payment> payments, DateTimeOffset now) =>
        payments.Where(Payment.DueForPosting(now)).OrderBy(p => p.NextPostingAt);
}
