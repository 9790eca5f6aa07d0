namespace Platform.Contracts.Identity;

/// <summary>
/// A credential crossed a warning threshold (30, 14, 7 or 1 days before it expires). Published once per
/// credential, credential version and threshold. <see cref="PracticeAdminEmails"/> lists who else should be told:
/// the practice's admins for the 7-day and 1-day notices of a password, and always for a system client's secret.
/// </summary>
public sealed record CredentialExpiring(
    Guid NoticeId,
    Guid CredentialId,
    string Kind,
    Guid? OwnerUserId,
    string? Email,
    string DisplayName,
    string? PracticeOds,
    int ThresholdDays,
    DateTimeOffset ExpiresAt,
    int Version,
    IReadOnlyList<string> PracticeAdminEmails);
