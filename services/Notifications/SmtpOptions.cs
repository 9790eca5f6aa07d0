using System.ComponentModel.DataAnnotations;

namespace Notifications.Api;

/// <summary>The mail relay (section <c>Smtp</c>): smtp4dev locally, a real relay elsewhere.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    [Required] public string Host { get; set; } = "localhost";
    [Range(1, 65535)] public int Port { get; set; } = 2525;
    /// <summary>None, StartTls or SslOnConnect.</summary>
    public string Security { get; set; } = "None";
    public string? UserName { get; set; }
    public string? Password { get; set; }
    [Required, EmailAddress] public string From { get; set; } = "no-reply@platform.demo";
    public string FromName { get; set; } = "GP Payments Platform";
}
