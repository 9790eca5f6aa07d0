using System.Net;
using Platform.Testing;

namespace Identity.Tests;

public sealed class OpenApiDocumentTests(MessagingServers servers)
{
    [Fact]
    public async Task The_openapi_document_describes_the_account_apis_and_matches_its_committed_snapshot()
    {
        await using var app = await IdentityApp.StartAsync(servers);

        using var response = await app.CreateClient().GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("/api/identity/me", document);
        Assert.Contains("/api/identity/practices/{ods}/credentials", document);
        var incompatible = OpenApiSnapshot.Check("identity", document);
        Assert.True(incompatible is null, incompatible);
    }
}
