using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Platform.Bench.Platform;

/// <summary>
/// The mail relay the platform sends through during the load scenarios: accepts every message over SMTP on loopback and
/// discards it, as an organisation's relay would take it off the platform's hands. smtp4dev, the development mail
/// server <c>./platform run</c> uses, stores and indexes every message: it spends about 12 ms of CPU on each, more
/// as its store fills (75 messages/s with 1,000 stored, 22/s with 8,000), which on these 2 cores is more than the
/// platform's own work per submission and left the runs' emails queued into the next run.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;
    private long received;

    public SmtpSink()
    {
        listener.Start();
        accepting = AcceptAsync(stopping.Token);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Messages accepted so far.</summary>
    public long Received => Interlocked.Read(ref received);

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using var _ = client;
        try
        {
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 localhost bench sink");
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (command)
                {
                    case "EHLO":
                    case "HELO":
                        await writer.WriteLineAsync("250-localhost");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                        while (await reader.ReadLineAsync(cancellationToken) is { } body && body != ".")
                        {
                        }

                        Interlocked.Increment(ref received);
                        await writer.WriteLineAsync("250 accepted");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 ok"); // MAIL FROM, RCPT TO, RSET, NOOP
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or SocketException)
        {
            // The client went away or the run is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        stopping.Dispose();
    }
}
