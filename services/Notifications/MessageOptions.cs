using System.ComponentModel.DataAnnotations;

namespace Notifications.Api;

/// <summary>How messages are written (section <c>Notifications:Messages</c>): where their links point, the templates, the time zone.</summary>
public sealed class MessageOptions
{
    public const string Section = "Notifications:Messages";

    /// <summary>The web app people act in (through the gateway). Links in messages are made from it.</summary>
    [Required] public Uri PortalBaseUrl { get; set; } = new("http://localhost:8080/");
    /// <summary>Where a person changes a password that is about to expire.</summary>
    [Required] public string ChangePasswordPath { get; set; } = "account/password";
    /// <summary>Where a person whose password has expired sets a new one (or asks for a reset link).</summary>
    [Required] public string ExpiredPasswordPath { get; set; } = "account/password/expired";
    /// <summary>Where a person who forgot their password asks for a single-use reset link.</summary>
    [Required] public string ResetPasswordPath { get; set; } = "forgot-password";
    /// <summary>Where a practice admin rotates a system client's secret ({ods} is replaced when present).</summary>
    [Required] public string ClientSecretsPath { get; set; } = "practice/credentials";
    /// <summary>Where a practice admin manages the practice's users (unlock help, invitations, disabling).</summary>
    [Required] public string PracticeUsersPath { get; set; } = "practice/users";
    /// <summary>A submission's page ({id} is replaced).</summary>
    [Required] public string SubmissionPath { get; set; } = "submissions/{id}";
    /// <summary>A payment waiting for a decision ({id} is replaced).</summary>
    [Required] public string ApprovalPath { get; set; } = "approvals/{id}";
    /// <summary>The folder of the Liquid templates, relative to the application folder unless rooted.</summary>
    [Required] public string TemplatesPath { get; set; } = "Templates";
    /// <summary>The time zone dates are written in (IANA id).</summary>
    [Required] public string TimeZone { get; set; } = "Europe/London";

    public string Link(string path, string? id = null, string? ods = null) =>
        new Uri(PortalBaseUrl, path.Replace("{id}", id, StringComparison.Ordinal).Replace("{ods}", ods, StringComparison.Ordinal)).ToString();
}
