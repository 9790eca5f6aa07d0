using Payments.Api.Domain;

namespace Payments.Domain.Tests;

/// <summary>Payments of one practice, service and period, taken to a status through the domain's own moves (no database).</summary>
public static class PaymentsIn
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static readonly PaymentLineItem Line = new() { Indicator = "FLU_65_PLUS", Quantity = 10, Rate = 10.06m, Amount = 100.60m };

    public static Payment Calculated(int version = 1, string? approvalReason = null, string? traceParent = null) =>
        Payment.Calculate(Guid.CreateVersion7(), Guid.CreateVersion7(), version, "A81001", "QWE", "FLU", "2026-10", "2026/27", [Line],
            approvalReason is not null, approvalReason, traceParent, Now);

    public static Payment Status(string status, int version = 1)
    {
        var needsApproval = status is PaymentStatus.AwaitingApproval or PaymentStatus.Approved or PaymentStatus.Declined;
        var payment = Calculated(version, needsApproval ? "FLU payments always need a commissioner's approval" : null);
        if (needsApproval) payment.AwaitApproval(Now.AddDays(2), Now);
        switch (status)
        {
            case PaymentStatus.Approved: payment.Approve("commissioner", null, null, Now); break;
            case PaymentStatus.Declined: payment.Decline("commissioner", null, "counts wrong", Now); break;
            case PaymentStatus.Paid: payment.MarkPaid("A81001-REF", Now); break;
            case PaymentStatus.PaymentFailed: payment.PostingFailed("ledger down", null, Now); break;
            case PaymentStatus.Cancelled: payment.Supersede(version + 1, Now); break;
        }
        Assert.Equal(status, payment.Status);
        return payment;
    }
}
