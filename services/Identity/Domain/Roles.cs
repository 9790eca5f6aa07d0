namespace Identity.Api.Domain;

/// <summary>The platform's roles, as they appear in the <c>role</c> claim of an access token.</summary>
public static class Roles
{
    public const string PracticeUser = "practice-user";
    public const string PracticeAdmin = "practice-admin";
    public const string Commissioner = "commissioner";
    public const string PlatformAdmin = "platform-admin";

    /// <summary>A system client (client credentials) acting for one practice.</summary>
    public const string SystemClient = "system-client";

    public static readonly IReadOnlyList<string> People = [PracticeUser, PracticeAdmin, Commissioner, PlatformAdmin];

    /// <summary>Roles a practice admin may give when inviting someone to their practice.</summary>
    public static readonly IReadOnlyList<string> PracticeRoles = [PracticeUser, PracticeAdmin];
}
