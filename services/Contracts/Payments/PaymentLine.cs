namespace Platform.Contracts.Payments;

/// <summary>One line of a payment: quantity × rate = amount, in GBP rounded to the penny.</summary>
public sealed record PaymentLine(string Indicator, decimal Quantity, decimal Rate, decimal Amount);
