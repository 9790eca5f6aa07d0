using System.Globalization;
using System.Net.Http.Headers;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Platform.Testing;

/// <summary>
/// A service on real PostgreSQL and RabbitMQ: its database under connection string <paramref name="connectionName"/>, its
/// broker (a virtual host of its own unless a test shares one between replicas), a fake clock at <paramref name="today"/>,
/// JWTs from <see cref="TestTokens"/>, short message retries and quiet logs. A derived factory adds the service's own settings
/// in <see cref="ConfigureWebHost"/> after calling this one.
/// </summary>
public abstract class ServiceApiFactory<TProgram>(string connectionName, string connectionString, Uri broker, DateTimeOffset today)
    : WebApplicationFactory<TProgram>
    where TProgram : class
{
    public string ConnectionString { get; } = connectionString;

    public Uri Broker { get; } = broker;

    public FakeTimeProvider Time { get; } = new(today);

    public IBus Bus => Services.GetRequiredService<IBus>();

    /// <summary>Starts the host and waits until its consumers' queues are bound.</summary>
    public async Task StartAsync()
    {
        _ = Server;
        await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
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
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting($"ConnectionStrings:{connectionName}", ConnectionString);
        builder.UseSetting("ConnectionStrings:messaging", Broker.ToString());
        builder.UseSetting("Identity:Authority", TestTokens.Issuer);
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
