namespace Notifications.Api.Domain;

/// <summary>A practice as <c>PracticeRegistered</c> described it: its name for messages and its ICB for routing.</summary>
public sealed class DirectoryPractice
{
    public required string Ods { get; init; }
    public required string Name { get; set; }
    public required string Icb { get; set; }
    public required DateTimeOffset RegisteredAt { get; set; }
}
