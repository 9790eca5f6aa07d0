namespace Identity.Api.Domain;

/// <summary>How confirming a new sign-in email, or undoing the change, ended.</summary>
public enum EmailChangeOutcome
{
    Done,

    /// <summary>Unknown, used or expired, or the account is disabled.</summary>
    InvalidLink,

    /// <summary>Another account signs in with the address now.</summary>
    AddressTaken,
}
