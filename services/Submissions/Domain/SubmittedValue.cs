namespace Submissions.Api.Domain;

/// <summary>One indicator value as the practice submitted it.</summary>
public sealed class SubmittedValue
{
    public required string Indicator { get; init; }
    public required decimal Value { get; init; }
}
