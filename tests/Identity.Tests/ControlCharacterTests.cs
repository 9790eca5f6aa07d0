using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
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
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            Assert.Equal("invalid_characters", problem.GetProperty("code").GetString());
        }
    }
}
