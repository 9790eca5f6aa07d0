using System.Net;
using System.Text.Json;

namespace Gateway.Tests;

/// <summary>Asserts an answer is RFC 9457 problem details with the expected status and a code, as every gateway error must be.</summary>
public static class Problem
{
    public static async Task<JsonElement> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        var actualCode = body.GetProperty("code").GetString();
        Assert.False(string.IsNullOrWhiteSpace(actualCode));
        if (code is not null) Assert.Equal(code, actualCode);
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
        Assert.True(body.TryGetProperty("traceId", out _));
        return body;
    }
}
