namespace Submissions.Api.Domain;

/// <summary>A practice as Identity announced it: kept so commissioners see the submissions of their ICB's practices.</summary>
public sealed class Practice
{
    public required string Ods { get; init; }
    public required string Name { get; set; }
    public required string Icb { get; set; }
    public required DateTimeOffset RegisteredAt { get; set; }
}
