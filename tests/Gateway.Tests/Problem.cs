using System.Net;
using System.Text.Json;
using Platform.Testing;

namespace Gateway.Tests;

/// <summary>
/// The members a gateway problem carries beside <see cref="ProblemBody"/>'s: the trace id every problem has
/// (ServiceDefaults' problem details) and the extensions some of the gateway's own problems add (GatewayProblems' callers).
/// </summary>
public sealed record GatewayProblemExtensions(string? TraceId, long? MaxBytes, string? Service, int? RetryAfterSeconds);

/// <summary>Asserts an answer is RFC 9457 problem details with the expected status and a code, as every gateway error must be.</summary>
public static class Problem
{
    public static async Task<(ProblemBody Problem, GatewayProblemExtensions Extensions)> AssertAsync(
        HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(ct); // buffers the body: it is read as the problem, then for its extensions
        var problem = await response.ReadProblemAsync(ct);
        var extensions = JsonSerializer.Deserialize<GatewayProblemExtensions>(text, JsonSerializerOptions.Web)!;
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Code));
        if (code is not null) Assert.Equal(code, problem.Code);
        Assert.False(string.IsNullOrWhiteSpace(problem.Title));
        Assert.NotNull(extensions.TraceId);
        return (problem, extensions);
    }
}
