namespace Payments.Api.Domain;

public static class PaymentStatus
{
    public const string Calculated = "calculated";
    public const string Settled = "settled";
}
