namespace Identity.Api.Domain;

/// <summary>
/// A client application acting for one practice with the client credentials grant (for example a clinical
/// system uploading extracts). The secret itself is stored hashed by OpenIddict; this row holds its lifetime.
/// </summary>
public sealed class SystemClient
{
    public Guid Id { get; init; }

    /// <summary>The OAuth <c>client_id</c>.</summary>
    public required string ClientId { get; init; }

    public required string DisplayName { get; set; }

    public required string PracticeOds { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public Guid? CreatedBy { get; init; }

    public DateTimeOffset SecretCreatedAt { get; set; }

    public DateTimeOffset SecretExpiresAt { get; set; }

    /// <summary>Bumped on every rotation: warnings belong to one version.</summary>
    public int SecretVersion { get; set; }

    public DateTimeOffset? NextExpiryNoticeAt { get; set; }

    public DateTimeOffset? DisabledAt { get; set; }
}
