using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Tests;

public sealed class PlatformSmokeTests(PlatformAppFixture platform)
{
    [Fact]
    public async Task Every_resource_is_healthy_and_the_gateway_is_ready()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        foreach (var name in platform.ResourceNames)
        {
            var state = await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken);
            Assert.Equal(HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }

        using var response = await platform.Gateway.GetAsync("/health/ready", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_gateway_request_can_be_read_back_from_the_trace_store()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var chosen = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/submissions/00000000-0000-0000-0000-000000000000");
        request.Headers.Add("traceparent", $"00-{chosen}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await platform.Gateway.SendAsync(request, cancellationToken);

        // The gateway starts the trace itself (a caller cannot choose it) and says which it is.
        var traceId = Assert.Single(response.Headers.GetValues("X-Trace-Id"));
        Assert.NotEqual(chosen, traceId);
        var spans = await platform.Traces.WaitForTraceAsync(
            traceId, spans => spans.Any(span => span.Service == "gateway"), TimeSpan.FromSeconds(60), cancellationToken);
        foreach (var span in spans)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{span.Service}: {span.Name} {span.SpanId} <- {span.ParentSpanId}");
        }
        var gatewaySpan = spans.First(span => span.Service == "gateway");
        Assert.Equal(traceId, gatewaySpan.TraceId);
        Assert.True(string.IsNullOrEmpty(gatewaySpan.ParentSpanId), $"the gateway's span has a parent: {gatewaySpan.ParentSpanId}");
        Assert.NotEmpty(gatewaySpan.Attributes);
    }
}
