namespace Notifications.Api.Templates;

/// <summary><c>user-invited.liquid</c>. <see cref="InvitedBy"/> is empty when the directory does not know the inviter.</summary>
public sealed record UserInvitedModel(string PracticeOds, string PracticeName, string Role, string InvitedBy, string Link, string LinkExpiresAt);
