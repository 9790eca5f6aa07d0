namespace Platform.Contracts.Identity;

/// <summary>
/// A credential reached its expiry time. Published once per credential and credential version.
/// The owner fixes an expired password with <c>POST /api/identity/password/change-expired</c>;
/// a practice admin rotates an expired client secret.
/// </summary>
public sealed record CredentialExpired(
    Guid NoticeId,
    Guid CredentialId,
    string Kind,
    Guid? OwnerUserId,
    string? Email,
    string DisplayName,
    string? PracticeOds,
    DateTimeOffset ExpiresAt,
    int Version,
    IReadOnlyList<string> PracticeAdminEmails);
