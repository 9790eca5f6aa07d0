namespace Payments.Api.Domain;

/// <summary>What Payments knows of a practice, from Identity's PracticeRegistered: its ICB (who approves) and list size (QOF adjustment).</summary>
public sealed class Practice
{
    public required string Ods { get; init; }
    public required string Icb { get; set; }
    public required int ListSize { get; set; }
    public required DateTimeOffset RegisteredAt { get; set; }
}
