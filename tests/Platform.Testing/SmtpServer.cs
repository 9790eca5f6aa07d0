using System.Globalization;

namespace Platform.Testing;

/// <summary>
/// A real SMTP server (smtp4dev, scripts/local/smtp4dev.sh) on free loopback ports; what it received
/// is read back through its REST API with <see cref="Mailbox"/>.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private readonly string dataDirectory;
    private ServerProcess? process;

    private SmtpServer(int smtpPort, int webPort, string dataDirectory)
    {
        SmtpPort = smtpPort;
        WebPort = webPort;
        this.dataDirectory = dataDirectory;
        Mailbox = new Smtp4devMailbox(new Uri($"http://localhost:{webPort}/"));
    }

    public int SmtpPort { get; }

    public int WebPort { get; }

    public Smtp4devMailbox Mailbox { get; }

    /// <summary>The relay refuses every recipient at this domain (a 5xx answer to RCPT TO), as a real relay refuses a mailbox.</summary>
    public const string RefusingDomain = "refused.test";

    public static async Task<SmtpServer> StartAsync()
    {
        var server = new SmtpServer(FreeTcpPort.Find(), FreeTcpPort.Find(), TempDirectory.Create("smtp"));
        try
        {
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server: the SMTP port refuses connections until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (process is not null)
        {
            await process.StopAsync();
            process = null;
        }
    }

    /// <summary>Starts the server on the same ports with the same stored mail.</summary>
    public async Task StartAgainAsync()
    {
        if (process is not null) throw new InvalidOperationException("The server is already running.");
        var refuse = new Dictionary<string, string>
        {
            ["ServerOptions__RecipientValidationExpression"] = $"!String(recipient).toLowerCase().endsWith(\"@{RefusingDomain}\")",
        };
        var started = ServerProcess.Start($"smtp4dev on port {SmtpPort}", RepositoryRoot.Script("smtp4dev.sh"), refuse,
            dataDirectory, SmtpPort.ToString(CultureInfo.InvariantCulture), WebPort.ToString(CultureInfo.InvariantCulture));
        process = started;
        await started.WaitUntilReadyAsync(async cancellationToken =>
            await TcpProbe.CanConnectAsync(SmtpPort, cancellationToken) && await Mailbox.AnswersAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Mailbox.Dispose();
        TempDirectory.DeleteQuietly(dataDirectory);
    }
}
