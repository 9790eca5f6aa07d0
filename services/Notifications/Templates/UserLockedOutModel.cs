namespace Notifications.Api.Templates;

/// <summary><c>user-locked-out.liquid</c>, to the practice's admins.</summary>
public sealed record UserLockedOutModel(string UserName, string UserEmail, string PracticeName, string LockedUntil, string UsersUrl, string ResetUrl);
