using System.Net;
using System.Text.Json;
using Platform.Testing;

namespace Platform.Tests;

/// <summary>
/// Each service publishes its OpenAPI document through the gateway. The documents are also written to
/// <c>.local/openapi/</c>, where <c>scripts/lint-openapi.sh</c> (run by <c>./platform test</c>) lints them.
/// </summary>
public sealed class OpenApiDocumentTests(PlatformAppFixture platform)
{
    [Theory]
    [InlineData("identity")]
    [InlineData("submissions")]
    [InlineData("payments")]
    [InlineData("notifications")]
    public async Task Each_service_publishes_its_openapi_document_with_the_bearer_scheme_through_the_gateway(string service)
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

        var folder = Directory.CreateDirectory(Path.Combine(RepositoryRoot.Find(), ".local", "openapi"));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, $"{service}.json"), text, cancellationToken);
    }
}
