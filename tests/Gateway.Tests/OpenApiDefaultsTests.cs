using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.ServiceDefaults;

namespace Gateway.Tests;

/// <summary>What every service gets from <c>AddPlatformOpenApi</c>/<c>MapPlatformOpenApi</c>, seen on a small real app.</summary>
public sealed class OpenApiDefaultsTests
{
    public sealed record Receipt(Guid Id, string Status);

    [Fact]
    public async Task Service_document_has_bearer_scheme_problem_responses_and_a_relative_server()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthorization();
        builder.AddPlatformOpenApi("Sample API");
        await using var app = builder.Build();
        app.MapPost("/api/sample", (Receipt body) => TypedResults.Ok(body)).RequireAuthorization();
        app.MapGet("/api/sample/{id:guid}/public", (Guid id) => TypedResults.Ok(new Receipt(id, "ok"))).AllowAnonymous();
        app.MapPlatformOpenApi();
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var json = await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        var document = JsonDocument.Parse(json).RootElement;
        Assert.Equal("Sample API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("/", document.GetProperty("servers")[0].GetProperty("url").GetString());
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("ProblemDetails", out _));

        var post = document.GetProperty("paths").GetProperty("/api/sample").GetProperty("post");
        Assert.Equal("postApiSample", post.GetProperty("operationId").GetString());
        Assert.True(post.GetProperty("security")[0].TryGetProperty("Bearer", out _));
        foreach (var status in new[] { "400", "401", "403", "429", "500" })
        {
            var content = post.GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty("application/problem+json");
            Assert.Equal("#/components/schemas/ProblemDetails", content.GetProperty("schema").GetProperty("$ref").GetString());
        }

        var anonymous = document.GetProperty("paths").GetProperty("/api/sample/{id}/public").GetProperty("get");
        Assert.Empty(anonymous.GetProperty("security")[0].EnumerateObject());
        Assert.False(anonymous.GetProperty("responses").TryGetProperty("401", out _));

        var output = Environment.GetEnvironmentVariable("OPENAPI_SAMPLE_OUTPUT");
        if (!string.IsNullOrEmpty(output)) await File.WriteAllTextAsync(output, json, TestContext.Current.CancellationToken);
    }
}
