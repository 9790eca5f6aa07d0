using Microsoft.AspNetCore.Hosting;
using Platform.Testing;

namespace Submissions.Tests;

/// <summary>
/// The Submissions service on <see cref="ServiceApiFactory{TProgram}"/>'s servers, with its own database and virtual host per
/// factory. The background watchdog is off: tests run it themselves.
/// </summary>
public sealed class SubmissionsApiFactory : ServiceApiFactory<Program>
{
    /// <summary>27 November 2026, noon UTC: FLU 2026-10 and QOF 2026-Q2 are open, 2025/26 windows are closed, FLU 2026-11 is not yet open.</summary>
    public static readonly DateTimeOffset Today = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private SubmissionsApiFactory(string connectionString, Uri broker) : base("submissionsdb", connectionString, broker, Today)
    {
    }

    /// <param name="connectionString">A database elsewhere (a test's own server); by default one on the shared server.</param>
    public static async Task<SubmissionsApiFactory> CreateAsync(MessagingServers servers, string? connectionString = null)
    {
        var factory = new SubmissionsApiFactory(connectionString ?? await servers.CreateDatabaseAsync("submissions"),
            await servers.CreateVirtualHostAsync("submissions"));
        await factory.StartAsync();
        return factory;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Submissions:Watchdog:Enabled", "false");
        builder.UseSetting("Submissions:Events:PollInterval", "00:00:00.100");
    }
}
