using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;

namespace Notifications.Api.Application;

/// <summary>
/// The delivery job's connection to the relay, kept from one batch to the next, as a mail server keeps its own outgoing
/// connections: a batch that follows another reuses it instead of connecting, greeting and quitting again (a TCP handshake
/// and three round trips a batch). One left idle for longer than <see cref="UncheckedReuseWithin"/> is asked first (NOOP),
/// as the relay may have dropped it; one idle for <see cref="DeliveryOptions.RelayIdleTimeout"/> is closed. For one delivery
/// loop: not safe to share between threads.
/// </summary>
public sealed class RelayConnection(SmtpMailer mailer, IOptions<DeliveryOptions> options, TimeProvider clock) : IDisposable
{
    /// <summary>A relay that answered this recently is taken to be there still: a batch right after another asks nothing.</summary>
    public static readonly TimeSpan UncheckedReuseWithin = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(2);

    private SmtpClient? client;
    private DateTimeOffset lastUsed;

    /// <summary>The open connection, or a new one; throws what connecting throws when the relay cannot be reached.</summary>
    public async Task<SmtpClient> OpenAsync(CancellationToken cancellationToken)
    {
        if (client is not null)
        {
            var idle = clock.GetUtcNow() - lastUsed;
            if (client.IsConnected && idle < options.Value.RelayIdleTimeout && (idle < UncheckedReuseWithin || await AnswersAsync(client, cancellationToken)))
            {
                return client;
            }
            Close(quit: false);
        }

        client = await mailer.ConnectAsync(cancellationToken);
        lastUsed = clock.GetUtcNow();
        return client;
    }

    /// <summary>The relay answered on the connection just now.</summary>
    public void Used() => lastUsed = clock.GetUtcNow();

    /// <summary>After a fault of the connection: the next batch connects again.</summary>
    public void Discard() => Close(quit: false);

    /// <summary>Says goodbye to the relay once the connection has been idle for <see cref="DeliveryOptions.RelayIdleTimeout"/>.</summary>
    public void CloseIfIdle()
    {
        if (client is not null && clock.GetUtcNow() - lastUsed >= options.Value.RelayIdleTimeout) Close(quit: true);
    }

    public void Dispose() => Close(quit: true);

    private static async Task<bool> AnswersAsync(SmtpClient connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.NoOpAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or ServiceNotConnectedException
            or SmtpProtocolException or SmtpCommandException)
        {
            return false;
        }
    }

    private void Close(bool quit)
    {
        if (client is null) return;
        try
        {
            // A relay that hangs must not hold up a shutdown: QUIT waits at most a moment for its answer.
            using var quitting = new CancellationTokenSource(QuitTimeout);
            if (client.IsConnected) client.Disconnect(quit, quitting.Token);
        }
        catch (Exception)
        {
            // The relay may already be gone.
        }
        client.Dispose();
        client = null;
    }
}
