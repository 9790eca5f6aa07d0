using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Notifications.Api.Domain;

namespace Notifications.Api.Application;

/// <summary>Sends emails through the configured SMTP relay, over a connection <see cref="RelayConnection"/> keeps.</summary>
public sealed class SmtpMailer(IOptions<SmtpOptions> options)
{
    public async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var smtp = options.Value;
        var client = new SmtpClient { Timeout = 15_000 };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, Enum.Parse<SecureSocketOptions>(smtp.Security, ignoreCase: true), cancellationToken);
            if (!string.IsNullOrEmpty(smtp.UserName))
            {
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
            }
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task SendAsync(SmtpClient client, OutgoingEmail email, CancellationToken cancellationToken)
    {
        var smtp = options.Value;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(smtp.FromName, smtp.From));
        message.To.Add(MailboxAddress.Parse(email.Recipient));
        message.Subject = email.Subject;
        // Our id as the Message-ID: a relay that saw a resend can tell it is the same message.
        message.MessageId = $"{email.Id:N}@platform";
        // Plain text and HTML as alternatives: a client shows the best it can.
        message.Body = new BodyBuilder { TextBody = email.TextBody, HtmlBody = email.HtmlBody }.ToMessageBody();
        await client.SendAsync(message, cancellationToken);
    }
}
