namespace Notifications.Api.Templates;

/// <summary><c>payment-settled.liquid</c>, the remittance advice.</summary>
public sealed record PaymentSettledModel(SubmissionModel Submission, string Amount, string RemittanceReference, string SettledAt,
    IReadOnlyList<PaymentLineModel> Lines) : SubmissionModel(Submission);

public sealed record PaymentLineModel(string Indicator, string Quantity, string Rate, string Amount);
