namespace Platform.Contracts.Payments;

/// <summary>Why Payments refused to pay a submission version (<see cref="PaymentRefused.Code"/>).</summary>
public static class PaymentRefusalCodes
{
    /// <summary>An earlier version of the same practice, service and period was already approved or paid: it cannot be amended.</summary>
    public const string SubmissionLocked = "submission_locked";

    /// <summary>The year's rules have no payment for the service.</summary>
    public const string NoPaymentRule = "no_payment_rule";
}
