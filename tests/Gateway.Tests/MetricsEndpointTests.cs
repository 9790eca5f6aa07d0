using System.Net;
using Platform.ServiceDefaults;

namespace Gateway.Tests;

/// <summary>The gateway's own metrics are for a scraper inside the cluster, never for the outside.</summary>
public sealed class MetricsEndpointTests(GatewayServers servers) : IAsyncLifetime
{
    private readonly GatewayFactory gateway = new(servers);

    [Fact]
    public async Task Metrics_answer_a_scraper_on_a_private_address_in_prometheus_text()
    {
        await gateway.ClientFrom("127.0.0.1").GetAsync("/health/live", TestContext.Current.CancellationToken);

        var response = await gateway.ClientFrom("10.1.2.3").GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("# TYPE ", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.9", null)]
    [InlineData("10.1.2.3", "203.0.113.9")]
    public async Task Metrics_are_not_found_from_outside_or_through_a_proxy(string address, string? forwardedFor)
    {
        var client = gateway.ClientFrom(address);
        if (forwardedFor is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);

        var response = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("10.0.0.5", true)]
    [InlineData("172.20.1.1", true)]
    [InlineData("192.168.1.10", true)]
    [InlineData("fd00::1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:db8::1", false)]
    public void Only_loopback_and_private_addresses_count_as_inside(string address, bool inside) =>
        Assert.Equal(inside, MetricsEndpoint.IsInternal(IPAddress.Parse(address)));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await gateway.DisposeAsync();
}
