using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

/// <summary>A real generic host wired the way a service is: its DbContext with the outbox interceptor and AddPlatformMessaging.</summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly IHost host;

    private TestHost(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;

    public Deliveries Deliveries => host.Services.GetRequiredService<Deliveries>();

    public static async Task<TestHost> StartAsync(
        MessagingServers servers,
        string databaseConnectionString,
        string serviceName,
        Action<IBusRegistrationConfigurator>? configureBus = null,
        IDictionary<string, string?>? settings = null,
        Uri? broker = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:messaging"] = (broker ?? servers.RabbitMq.AmqpUri).ToString(),
            // Short retries keep the error-queue test quick; the defaults are 200 ms, 1 s, 3 s, 5 s.
            ["Messaging:RetryIntervals:0"] = "00:00:00.050",
            ["Messaging:RetryIntervals:1"] = "00:00:00.100",
            ["Messaging:RetryIntervals:2"] = "00:00:00.100",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new TestOutputLoggerProvider(TestContext.Current.TestOutputHelper, serviceName));
        builder.Logging.AddFilter("MassTransit", LogLevel.Warning);

        builder.Services.AddSingleton<Deliveries>();
        builder.Services.AddDbContext<TestDb>((sp, options) => options
            .UseNpgsql(databaseConnectionString, npgsql => npgsql.EnableRetryOnFailure())
            .UsePlatformOutbox(sp));
        builder.AddPlatformMessaging<TestDb>(serviceName, bus => configureBus?.Invoke(bus));
        services?.Invoke(builder.Services);

        var host = builder.Build();
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        try
        {
            var status = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            Assert.Equal(BusHealthStatus.Healthy, status);
            return new TestHost(host);
        }
        catch
        {
            await StopAsync(host);
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> with a scoped <see cref="TestDb"/>, as a request handler would.</summary>
    public async Task InScopeAsync(Func<TestDb, Task> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<TestDb>());
    }

    public ValueTask DisposeAsync() => StopAsync(host);

    private static async ValueTask StopAsync(IHost host)
    {
        await host.StopAsync(CancellationToken.None);
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}
