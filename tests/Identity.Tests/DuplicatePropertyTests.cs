using System.Net;
using System.Text;
using Platform.Testing;

namespace Identity.Tests;

/// <summary>
/// A JSON body that names a property twice is refused, not read as its last value: the gateway's per-account limit
/// counted the first name while the service checked the password of the second (issue 16, finding 5).
/// </summary>
public sealed class DuplicatePropertyTests(MessagingServers servers)
{
    [Theory]
    [InlineData("username")]
    [InlineData("USERNAME")]
    public async Task A_body_naming_the_account_twice_is_400_and_says_nothing_of_the_password(string second)
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("victim@a81001.test");
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/api/identity/password/change-expired", new StringContent(
            $$"""{"username":"someone@a81001.test","{{second}}":"victim@a81001.test","currentPassword":"{{IdentityApp.Password}}","newPassword":"a brand new orchard passphrase"}""",
            Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("duplicate_property", (await response.ReadProblemAsync(TestContext.Current.CancellationToken)).Code);
    }
}
