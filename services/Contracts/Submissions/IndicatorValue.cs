namespace Platform.Contracts.Submissions;

/// <summary>One reported figure: an indicator of the service catalogue and its value.</summary>
public sealed record IndicatorValue(string Indicator, decimal Value);
