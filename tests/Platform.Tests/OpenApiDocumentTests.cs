using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Testing;

namespace Platform.Tests;

/// <summary>
/// Each service publishes its OpenAPI document through the gateway, unchanged: the document a client fetches from the
/// gateway is the committed snapshot (contracts/openapi/) that the service's own tests check, lint and generate the client from.
/// </summary>
public sealed class OpenApiDocumentTests(PlatformAppFixture platform)
{
    [Theory]
    [InlineData("identity")]
    [InlineData("submissions")]
    [InlineData("payments")]
    [InlineData("notifications")]
    public async Task Each_service_publishes_its_committed_openapi_document_with_the_bearer_scheme_through_the_gateway(string service)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var response = await platform.Gateway.GetAsync($"/openapi/{service}.json", cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        using var document = JsonDocument.Parse(text);
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString());
        Assert.NotEmpty(document.RootElement.GetProperty("paths").EnumerateObject());
        var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Contains(schemes.EnumerateObject(), scheme => scheme.Value.GetProperty("scheme").GetString() == "bearer");

        var committed = JsonNode.Parse(await File.ReadAllTextAsync(OpenApiSnapshot.PathFor(service), cancellationToken));
        Assert.True(JsonNode.DeepEquals(committed, JsonNode.Parse(text)), $"The gateway serves a {service} document that differs from {OpenApiSnapshot.PathFor(service)}.");
    }
}
