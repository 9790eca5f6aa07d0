namespace Platform.ServiceDefaults;

/// <summary>The platform's roles, as they appear in the <c>role</c> claim of an access token and in Identity's events.</summary>
public static class PlatformRoles
{
    public const string PracticeUser = "practice-user";
    public const string PracticeAdmin = "practice-admin";
    public const string Commissioner = "commissioner";
    public const string PlatformAdmin = "platform-admin";

    /// <summary>A system client (client credentials) acting for one practice.</summary>
    public const string SystemClient = "system-client";

    /// <summary>The roles a person (not a system client) can have.</summary>
    public static readonly IReadOnlyList<string> People = [PracticeUser, PracticeAdmin, Commissioner, PlatformAdmin];

    /// <summary>Roles a practice admin may give when inviting someone to their practice.</summary>
    public static readonly IReadOnlyList<string> PracticeRoles = [PracticeUser, PracticeAdmin];
}
