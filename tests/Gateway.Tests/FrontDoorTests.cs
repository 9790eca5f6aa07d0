using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Testing;

namespace Gateway.Tests;

public sealed class FrontDoorTests(GatewayServers servers) : IAsyncLifetime
{
    private readonly GatewayFactory gateway = new(servers, new Dictionary<string, string?>
    {
        // A route to a cluster with no destinations, to see the gateway's 503.
        ["ReverseProxy:Routes:test-empty:ClusterId"] = "empty",
        ["ReverseProxy:Routes:test-empty:Match:Path"] = "/api/empty",
        ["ReverseProxy:Routes:test-empty:AuthorizationPolicy"] = "authenticated",
        ["ReverseProxy:Clusters:empty:HealthCheck:Passive:Enabled"] = "false",
    });

    private HttpClient Authenticated(string? sub = null) =>
        gateway.ClientFrom(Addresses.Next(), TestTokens.PracticeUser("A81001", sub ?? $"user-{Guid.NewGuid():N}"));

    [Fact]
    public async Task Body_above_the_route_limit_is_413_problem_and_is_not_forwarded()
    {
        using var body = new StringContent(new string('x', 2048), Encoding.UTF8, "application/json");

        var response = await Authenticated().PostAsync("/api/submissions/too-big", body, TestContext.Current.CancellationToken);

        var (_, extensions) = await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Equal(1024, extensions.MaxBytes);
        Assert.False(servers.Downstream.Hits.ContainsKey("/api/submissions/too-big"));
    }

    [Fact]
    public async Task Body_within_the_route_limit_is_forwarded()
    {
        using var body = new StringContent(new string('x', 512), Encoding.UTF8, "application/json");

        var response = await Authenticated().PostAsync("/api/submissions/within-limit", body, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, servers.Downstream.Hits.GetValueOrDefault("/api/submissions/within-limit"));
    }

    [Fact]
    public async Task Cors_preflight_from_an_allowed_origin_passes()
    {
        using var preflight = Preflight(GatewayFactory.AllowedOrigin);

        var response = await gateway.CreateClient().SendAsync(preflight, TestContext.Current.CancellationToken);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(GatewayFactory.AllowedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_preflight_from_another_origin_is_refused()
    {
        using var preflight = Preflight("https://evil.example.test");

        var response = await gateway.CreateClient().SendAsync(preflight, TestContext.Current.CancellationToken);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(servers.Downstream.Hits.ContainsKey("/api/submissions/cors"));
    }

    [Fact]
    public async Task Every_error_the_gateway_makes_itself_is_problem_details_with_a_code()
    {
        var ct = TestContext.Current.CancellationToken;
        await Problem.AssertAsync(await gateway.CreateClient().GetAsync("/api/submissions/x", ct), HttpStatusCode.Unauthorized, "unauthorized");
        // Every other path belongs to the portal; an unknown API path is the gateway's own 404.
        await Problem.AssertAsync(await gateway.CreateClient().GetAsync("/api/no/such/route", ct), HttpStatusCode.NotFound, "not_found");
        await Problem.AssertAsync(await gateway.CreateClient().GetAsync("/openapi/nope.json", ct), HttpStatusCode.NotFound, "not_found");
        using (var big = new StringContent(new string('x', 4096), Encoding.UTF8, "application/json"))
        {
            await Problem.AssertAsync(await Authenticated().PostAsync("/api/submissions", big, ct), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        }
        var (_, unreachable) = await Problem.AssertAsync(await Authenticated().GetAsync("/api/notifications", ct), HttpStatusCode.BadGateway, "bad_gateway");
        Assert.Equal("notifications", unreachable.Service);
        await Problem.AssertAsync(await Authenticated().GetAsync("/api/empty", ct), HttpStatusCode.ServiceUnavailable, "service_unavailable");
        await Problem.AssertAsync(await Authenticated().GetAsync("/api/payments/slow", ct), HttpStatusCode.GatewayTimeout, "gateway_timeout");
        // 429 and 403 are covered in RateLimitTests and by AddPlatformAuthentication's OnForbidden.
    }

    [Fact]
    public async Task A_failed_post_is_forwarded_once_and_not_retried()
    {
        using var body = new StringContent("{}", Encoding.UTF8, "application/json");

        var response = await Authenticated().PostAsync("/api/submissions/failing", body, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, servers.Downstream.Hits["/api/submissions/failing"]);
    }

    [Fact]
    public async Task Responses_carry_trace_id_and_security_headers_and_no_server_header()
    {
        var response = await Authenticated().GetAsync("/api/submissions/headers", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues("X-Trace-Id").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Forwarded_headers_from_an_untrusted_client_are_replaced_by_what_the_gateway_saw()
    {
        var client = Authenticated();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        var address = Addresses.Next();
        client.DefaultRequestHeaders.Remove(GatewayFactory.ClientAddressHeader);
        client.DefaultRequestHeaders.Add(GatewayFactory.ClientAddressHeader, address);

        var response = await client.GetAsync("/api/submissions/forwarded", TestContext.Current.CancellationToken);

        var echo = await response.Content.ReadFromJsonAsync<DownstreamEcho>(TestContext.Current.CancellationToken);
        Assert.Equal(address, echo!.ForwardedFor);
        Assert.Equal("http", echo.ForwardedProto);
    }

    [Fact]
    public async Task Ready_reports_each_downstream_service_and_redis_by_name()
    {
        var response = await gateway.CreateClient().GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = (await response.Content.ReadFromJsonAsync<HealthReportBody>(TestContext.Current.CancellationToken))!.Checks;
        Assert.Equal("Healthy", checks["identity"].Status);
        Assert.Equal("Healthy", checks["submissions"].Status);
        Assert.Equal("Healthy", checks["payments"].Status);
        Assert.Equal("Degraded", checks["notifications"].Status); // its port is closed
        Assert.Equal("Healthy", checks["redis"].Status);
    }

    [Fact]
    public async Task Service_documents_are_served_at_openapi_service_json_without_a_token()
    {
        var response = await gateway.CreateClient().GetAsync("/openapi/submissions.json", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3.1.1", JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement
            .GetProperty("openapi").GetString());
    }

    [Fact]
    public async Task Docs_page_loads_its_assets_from_the_gateway_not_a_cdn()
    {
        var client = gateway.CreateClient();
        var page = await client.GetStringAsync("/docs", TestContext.Current.CancellationToken);

        Assert.DoesNotContain("cdn.jsdelivr.net", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("openapi/submissions.json", page, StringComparison.Ordinal);
        var script = System.Text.RegularExpressions.Regex.Match(page, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(script));
        Assert.False(Uri.TryCreate(script, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal), script);
        var asset = await client.GetAsync(new Uri(new Uri("http://localhost/docs/"), script), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/submissions/cors");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await gateway.DisposeAsync();
}
