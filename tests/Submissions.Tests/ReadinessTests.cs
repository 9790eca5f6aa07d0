using System.Net;
using System.Text.Json;
using Npgsql;
using Platform.Testing;
using static Submissions.Tests.TestApi;

namespace Submissions.Tests;

/// <summary>Readiness means the service can do its work: it fails while its database is away and names the check that failed.</summary>
public sealed class ReadinessTests(MessagingServers servers)
{
    [Fact]
    public async Task Ready_fails_naming_the_database_while_it_is_down_and_recovers_when_it_is_back()
    {
        // Its own PostgreSQL: the shared one serves the tests running beside this one.
        await using var postgres = await PostgresServer.StartAsync("submissions");
        await using var factory = await SubmissionsApiFactory.CreateAsync(servers, postgres.ConnectionString("submissions"));
        var client = factory.CreateClient();
        var (status, checks) = await ReadyAsync(client);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", checks.GetProperty("submissionsdb").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("rabbitmq").GetProperty("status").GetString());
        await postgres.StopAsync();
        NpgsqlConnection.ClearAllPools();
        (status, checks) = await ReadyAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", checks.GetProperty("submissionsdb").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("rabbitmq").GetProperty("status").GetString());
        await postgres.StartAgainAsync();
        for (var i = 0; i < 60 && status != HttpStatusCode.OK; i++)
        {
            await Task.Delay(500, Cancel);
            (status, _) = await ReadyAsync(client);
        }
        Assert.Equal(HttpStatusCode.OK, status);
    }

    // The health report is an anonymous object (ServiceDefaults' HealthReportWriter), so there is no record to read it into.
    private static async Task<(HttpStatusCode Status, JsonElement Checks)> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready", Cancel);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;
        return (response.StatusCode, report.GetProperty("checks").Clone());
    }
}
