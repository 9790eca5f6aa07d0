using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed class MessagingSetupTests(MessagingServers servers)
{
    [Fact]
    public async Task Invalid_messaging_options_stop_the_host_at_start_up()
    {
        var database = await servers.CreateDatabaseAsync("options");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(
            servers, database, Names.UniqueService("options"),
            settings: new Dictionary<string, string?> { ["Messaging:PrefetchCount"] = "0", ["Messaging:SweepInterval"] = "00:05:00" }));

        Assert.Contains(error.Failures, failure => failure.Contains("PrefetchCount", StringComparison.Ordinal));
        Assert.Contains(error.Failures, failure => failure.Contains("SweepInterval", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ready_health_checks_include_a_healthy_RabbitMQ_check()
    {
        var database = await servers.CreateDatabaseAsync("health");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("health"));

        var report = await host.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains("ready"), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, report.Entries["rabbitmq"].Status);
        Assert.Equal(HealthStatus.Healthy, report.Status);
    }

    [Fact]
    public async Task Options_default_to_the_documented_values_and_configured_retries_replace_the_default_ones()
    {
        var database = await servers.CreateDatabaseAsync("defaults");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("defaults"));

        var options = host.Services.GetRequiredService<IOptions<MessagingOptions>>().Value;

        Assert.Equal(32, options.PrefetchCount);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)), (options.SweepInterval, options.SweepAfter));
        // TestHost configures three short retries; configured intervals replace the defaults rather than adding to them.
        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)], options.RetryIntervals);
    }
}
