namespace Notifications.Api.Domain;

/// <summary>The platform's roles as Identity names them in its events and tokens.</summary>
public static class Roles
{
    public const string PracticeUser = "practice-user";
    public const string PracticeAdmin = "practice-admin";
    public const string Commissioner = "commissioner";
    public const string PlatformAdmin = "platform-admin";
}
