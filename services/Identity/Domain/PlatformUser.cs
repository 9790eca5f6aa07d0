using Microsoft.AspNetCore.Identity;
using Platform.ServiceDefaults;

namespace Identity.Api.Domain;

/// <summary>A person who signs in: a practice user or admin, a commissioner or a platform admin.</summary>
public sealed class PlatformUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";

    /// <summary>One of <see cref="PlatformRoles.People"/>.</summary>
    public string Role { get; set; } = PlatformRoles.PracticeUser;

    /// <summary>Set for practice users and admins.</summary>
    public string? PracticeOds { get; set; }

    /// <summary>Set for commissioners (and copied from the practice for practice users).</summary>
    public string? Icb { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? PasswordChangedAt { get; set; }

    public DateTimeOffset? PasswordExpiresAt { get; set; }

    /// <summary>Bumped on every password change: warnings and refresh tokens belong to one version.</summary>
    public int CredentialVersion { get; set; }

    /// <summary>When the expiry scanner next has something to say about this password; null when nothing is due.</summary>
    public DateTimeOffset? NextExpiryNoticeAt { get; set; }

    public DateTimeOffset? DisabledAt { get; set; }

    public bool IsDisabled => DisabledAt is not null;
}
