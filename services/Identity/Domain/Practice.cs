namespace Identity.Api.Domain;

/// <summary>A GP practice, identified by its ODS code, in one ICB.</summary>
public sealed class Practice
{
    public required string Ods { get; init; }

    public required string Name { get; set; }

    public required string Icb { get; set; }

    public int ListSize { get; set; }

    public DateTimeOffset RegisteredAt { get; init; }
}
