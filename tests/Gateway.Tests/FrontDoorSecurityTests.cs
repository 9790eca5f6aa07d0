using System.Net;
using System.Net.Http.Json;
using System.Text;
using Platform.Testing;

namespace Gateway.Tests;

/// <summary>
/// What probing the front door as an attacker found (issue 16): a body that names the account twice, a header the
/// services cannot be sent, a trace id chosen by the caller, internal addresses in the public readiness report, and a
/// client address believed from any loopback caller.
/// </summary>
public sealed class FrontDoorSecurityTests(GatewayServers servers) : IAsyncLifetime
{
    private readonly GatewayFactory gateway = new(servers);

    [Theory]
    [InlineData("""{"email":"someone@a81001.test","email":"victim@a81001.test"}""")]
    [InlineData("""{"email":"someone@a81001.test","EMAIL":"victim@a81001.test"}""")]
    public async Task A_json_body_naming_the_account_twice_is_the_gateways_own_400(string json)
    {
        using var body = new StringContent(json, Encoding.UTF8, "application/json");

        var response = await gateway.ClientFrom(Addresses.Next()).PostAsync("/api/identity/password/reset-requests", body, TestContext.Current.CancellationToken);

        // duplicate_property is the gateway's own code: the stand-in service behind it never answers with it.
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "duplicate_property");
    }

    [Fact]
    public async Task A_sign_in_form_naming_the_account_twice_is_refused()
    {
        using var body = new StringContent("grant_type=password&client_id=platform-cli&username=someone&username=victim&password=x", Encoding.UTF8,
            "application/x-www-form-urlencoded");

        var response = await gateway.ClientFrom(Addresses.Next()).PostAsync("/connect/token", body, TestContext.Current.CancellationToken);

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "duplicate_property");
    }

    [Fact]
    public async Task A_header_value_outside_ascii_is_the_gateways_own_400_not_a_502_from_a_service()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/submissions/anything");
        request.Headers.TryAddWithoutValidation("X-Note", "caf\u00e9");

        var response = await gateway.ClientFrom(Addresses.Next(), TestTokens.PracticeUser("A81001")).SendAsync(request, TestContext.Current.CancellationToken);

        var (problem, _) = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "invalid_header");
        Assert.Contains("X-Note", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callers_traceparent_does_not_choose_the_trace()
    {
        const string Chosen = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/submissions/traced");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{Chosen}-00f067aa0ba902b7-01");

        var response = await gateway.ClientFrom(Addresses.Next(), TestTokens.PracticeUser("A81001")).SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceId = Assert.Single(response.Headers.GetValues("X-Trace-Id"));
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.NotEqual(Chosen, traceId);
    }

    [Fact]
    public async Task The_public_readiness_report_names_services_but_not_their_addresses()
    {
        var response = await gateway.CreateClient().GetAsync("/health/ready", TestContext.Current.CancellationToken);

        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var report = await response.Content.ReadFromJsonAsync<HealthReportBody>(TestContext.Current.CancellationToken);
        Assert.Equal("Degraded", report!.Checks["notifications"].Status);
        Assert.DoesNotContain("http://", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task X_forwarded_for_is_believed_only_from_a_configured_proxy_loopback_included()
    {
        await using var configured = new GatewayFactory(servers, new Dictionary<string, string?> { ["Gateway:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" });

        Assert.Equal("127.0.0.1", await ForwardedForAsync(gateway));
        Assert.Equal("203.0.113.9", await ForwardedForAsync(configured));
    }

    /// <summary>What the service is told the caller's address is, for a caller on loopback claiming to be 203.0.113.9.</summary>
    private static async Task<string?> ForwardedForAsync(GatewayFactory factory)
    {
        var client = factory.ClientFrom("127.0.0.1", TestTokens.PracticeUser("A81001"));
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        var response = await client.GetAsync("/api/submissions/forwarded", TestContext.Current.CancellationToken);
        return (await response.Content.ReadFromJsonAsync<DownstreamEcho>(TestContext.Current.CancellationToken))!.ForwardedFor;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await gateway.DisposeAsync();
}
