using System.Net.Http.Headers;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Platform.Testing;

namespace Submissions.Tests;

/// <summary>
/// The Submissions service on real PostgreSQL and RabbitMQ, with its own database and its own RabbitMQ virtual host per factory
/// (so parallel tests never consume each other's events), a fake clock set to <see cref="Today"/>, and JWTs from <see cref="TestTokens"/>.
/// The background watchdog is off: tests run it themselves.
/// </summary>
public sealed class SubmissionsApiFactory : WebApplicationFactory<Program>
{
    /// <summary>27 November 2026, noon UTC: FLU 2026-10 and QOF 2026-Q2 are open, 2025/26 windows are closed, FLU 2026-11 is not yet open.</summary>
    public static readonly DateTimeOffset Today = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private readonly Uri broker;

    private SubmissionsApiFactory(string connectionString, Uri broker)
    {
        ConnectionString = connectionString;
        this.broker = broker;
    }

    public string ConnectionString { get; }

    public FakeTimeProvider Time { get; } = new(Today);

    public IBus Bus => Services.GetRequiredService<IBus>();

    /// <param name="connectionString">A database elsewhere (a test's own server); by default one on the shared server.</param>
    public static async Task<SubmissionsApiFactory> CreateAsync(MessagingServers servers, string? connectionString = null)
    {
        var vhost = $"submissions-{Guid.NewGuid():N}";
        await servers.RabbitMq.CtlAsync("add_vhost", vhost);
        await servers.RabbitMq.CtlAsync("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        var factory = new SubmissionsApiFactory(connectionString ?? await servers.CreateDatabaseAsync("submissions"), new Uri(servers.RabbitMq.AmqpUri, vhost));
        _ = factory.Server; // start the host: its consumers bind their queues
        await factory.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return factory;
    }

    public HttpClient ClientFor(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:submissionsdb", ConnectionString);
        builder.UseSetting("ConnectionStrings:messaging", broker.ToString());
        builder.UseSetting("Identity:Authority", TestTokens.Issuer);
        builder.UseSetting("Submissions:Watchdog:Enabled", "false");
        builder.UseSetting("Submissions:Events:PollInterval", "00:00:00.100");
        builder.UseSetting("Messaging:RetryIntervals:0", "00:00:00.050");
        builder.UseSetting("Messaging:RetryIntervals:1", "00:00:00.200");
        builder.UseSetting("Messaging:RetryIntervals:2", "00:00:00.500");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "None");
        builder.UseEnvironment("Testing");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            TestTokens.TrustTestKey(services);
        });
    }
}
