using Portal.Components.Shared;

namespace Portal.Components.Pages.Account;

/// <summary>What the password forms post. Passwords are never written back into a page.</summary>
public sealed class PasswordForm
{
    public string? Email { get; set; }
    public string? Token { get; set; }
    public string? CurrentPassword { get; set; }
    public string? NewPassword { get; set; }
    public string? ConfirmPassword { get; set; }

    /// <summary>The checks a person can be told about before the password goes to Identity (which applies the full policy).</summary>
    public void CheckNewPassword(FormErrors errors)
    {
        if (string.IsNullOrEmpty(NewPassword)) errors.Add("new-password", "Enter a new password");
        else if (NewPassword.Length < 12) errors.Add("new-password", "Your new password must be at least 12 characters long");
        if (string.IsNullOrEmpty(ConfirmPassword)) errors.Add("confirm-password", "Confirm your new password");
        else if (!string.IsNullOrEmpty(NewPassword) && ConfirmPassword != NewPassword) errors.Add("confirm-password", "The passwords do not match");
    }
}
