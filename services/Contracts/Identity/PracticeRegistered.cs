namespace Platform.Contracts.Identity;

/// <summary>A platform admin registered a GP practice.</summary>
public sealed record PracticeRegistered(
    string PracticeOds,
    string Name,
    string Icb,
    int ListSize,
    DateTimeOffset RegisteredAt);
