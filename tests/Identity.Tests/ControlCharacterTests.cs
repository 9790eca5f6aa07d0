using System.Net;
using System.Text;
using Platform.Testing;

namespace Identity.Tests;

/// <summary>A NUL in a username or an email is refused as bad input, never carried to PostgreSQL (which cannot store U+0000).</summary>
public sealed class ControlCharacterTests(MessagingServers servers)
{
    [Fact]
    public async Task A_reset_request_or_a_sign_in_with_a_nul_in_the_name_is_400_invalid_characters()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        using var client = app.CreateClient();

        using var reset = await client.PostAsync("/api/identity/password/reset-requests",
            new StringContent("""{"email":"user\u0000@a81001.test"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        using var signIn = await client.PostAsync("/connect/token", new StringContent(
            "grant_type=password&client_id=platform-cli&username=user%00%40a81001.test&password=anything", Encoding.UTF8,
            "application/x-www-form-urlencoded"), TestContext.Current.CancellationToken);

        foreach (var response in new[] { reset, signIn })
        {
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest,
                $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
            var problem = await response.ReadProblemAsync(TestContext.Current.CancellationToken);
            Assert.Equal("invalid_characters", problem.Code);
        }
    }

    [Fact]
    public async Task A_form_that_cannot_be_read_is_400_not_500()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        using var client = app.CreateClient();

        // A multipart content type over a body that is not multipart at all.
        using var body = new StringContent("""{"grant_type":"password","username":"user@a81001.test"}""", Encoding.UTF8);
        body.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        using var response = await client.PostAsync("/connect/token", body, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("malformed_request", (await response.ReadProblemAsync(TestContext.Current.CancellationToken)).Code);
    }
}
