using System.Globalization;
using System.Net.Http.Headers;
using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Platform.Testing;

namespace Notifications.Tests;

/// <summary>
/// The Notifications service on real PostgreSQL, RabbitMQ and SMTP, with its own database. Its JWT bearer validation
/// is the platform's, pointed at the tests' signing key instead of Identity's discovery document.
/// </summary>
public sealed class NotificationsApiFactory(string database, Uri rabbitMq, SmtpServer smtp, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    /// <summary>
    /// A service with its own database and its own RabbitMQ virtual host: test classes run in parallel, and services
    /// sharing queues would take each other's events.
    /// </summary>
    public static async Task<NotificationsApiFactory> CreateAsync(MessagingServers servers, SmtpServer smtp, IReadOnlyDictionary<string, string>? settings = null)
    {
        return new(await servers.CreateDatabaseAsync("notifications"), await servers.CreateVirtualHostAsync("notifications"), smtp, settings);
    }

    public IBus Bus => Services.GetRequiredService<IBus>();

    public string ConnectionString => database;

    /// <summary>Starts the host and waits until its consumers' queues are bound.</summary>
    public async Task StartAsync()
    {
        _ = Server;
        await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
    }

    public HttpClient ClientFor(Guid userId, string role, string? practiceOds = null, string? icb = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue(userId, role, practiceOds, icb));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:notificationsdb", database);
        builder.UseSetting("ConnectionStrings:messaging", rabbitMq.ToString());
        builder.UseSetting("Smtp:Host", "127.0.0.1");
        builder.UseSetting("Smtp:Port", smtp.SmtpPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Notifications:Delivery:FirstRetryDelay", "00:00:00.200");
        builder.UseSetting("Notifications:Delivery:MaxRetryDelay", "00:00:01");
        // A refused message is given up after 3 attempts; a relay outage does not count, however long.
        builder.UseSetting("Notifications:Delivery:MaxAttempts", "3");
        builder.UseSetting("Notifications:Delivery:PollInterval", "00:00:00.200");
        // Longer than a restart of the relay takes, so a test that restarts it meets the connection it dropped.
        builder.UseSetting("Notifications:Delivery:RelayIdleTimeout", "00:05:00");
        builder.UseSetting("Notifications:Messages:PortalBaseUrl", "https://portal.test/");
        builder.UseSetting("Identity:Authority", "https://identity.test/");
        builder.UseSetting("Identity:Issuer", TestTokens.Issuer);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);

        builder.ConfigureTestServices(services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            // The same validation, with the tests' key in place of the one Identity's JWKS would give.
            var configuration = new OpenIdConnectConfiguration { Issuer = TestTokens.Issuer };
            configuration.SigningKeys.Add(TestTokens.Key);
            jwt.Configuration = configuration;
            jwt.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        }));
    }
}
