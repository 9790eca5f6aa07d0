namespace Platform.Contracts.Identity;

/// <summary>How a password came to be set (<see cref="PasswordChanged.Method"/>).</summary>
public static class PasswordChangeMethods
{
    /// <summary>Changed by its owner while signed in, with the current password.</summary>
    public const string Changed = "changed";

    /// <summary>Replaced by its owner after it expired, with the expired password (the API or the sign-in page).</summary>
    public const string ExpiredChange = "expired-change";

    /// <summary>Set with a single-use reset link.</summary>
    public const string Reset = "reset";

    /// <summary>First set with the invitation link.</summary>
    public const string Invitation = "invitation";
}
