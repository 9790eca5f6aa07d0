namespace Identity.Api.Domain;

/// <summary>
/// One expiry notice sent for a credential: unique per (kind, credential, version, threshold),
/// so each threshold of each credential version is announced exactly once.
/// </summary>
public sealed class CredentialNotice
{
    public Guid Id { get; init; }

    /// <summary><c>password</c> or <c>client-secret</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The user's id for a password, the system client's id for a secret.</summary>
    public Guid CredentialId { get; init; }

    public int Version { get; init; }

    /// <summary>Days before expiry (30, 14, 7, 1), or 0 for the expiry itself.</summary>
    public int ThresholdDays { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
}
