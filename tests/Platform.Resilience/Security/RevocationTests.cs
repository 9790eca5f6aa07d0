using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Platform.Resilience.Running;
using Platform.Resilience.Tenancy;
using Platform.Testing;

namespace Platform.Resilience.Security;

/// <summary>
/// A person disabled, or whose password changes, is out everywhere within seconds: the access token they held before is
/// refused by the gateway and by every service called directly within <see cref="Window"/>, though it has minutes left to
/// run; a disabled practice admin's token can no longer invite people or create system clients; and a new sign-in after
/// a password change works at once.
/// </summary>
public sealed class RevocationTests(ResiliencePlatform platform)
{
    /// <summary>How soon every gateway and service must refuse the earlier token.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    [Fact(Timeout = 300_000)]
    public async Task A_disabled_practice_admins_earlier_token_is_refused_everywhere_within_seconds_and_their_powers_go_with_it()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var tenants = await platform.TenantsAsync(cancellationToken);
        var practice = tenants.Practices[^1];
        var admin = await tenants.AddPersonAsync(platform, practice, "practice-admin", cancellationToken);
        var client = ApiClient.ForUser(platform.Gateway, Addresses.Next(), admin.Email, admin.Password);
        var token = await client.AccessTokenAsync(cancellationToken);
        await AssertAcceptedEverywhereAsync(token, cancellationToken);

        var (disabled, body) = await tenants.Admin.PostJsonAsync($"/api/identity/practices/{practice.Ods}/users/{admin.Id}/disable", null, cancellationToken);
        Assert.True(disabled == HttpStatusCode.NoContent, $"Disabling answered {(int)disabled}: {body}");

        await AssertRefusedEverywhereWithinWindowAsync("disable", token, cancellationToken);
        var (invite, _) = await client.PostJsonAsync($"/api/identity/practices/{practice.Ods}/users",
            new { email = $"late.{Guid.NewGuid():N}@{practice.Ods.ToLowerInvariant()}.test", displayName = "Too Late", role = "practice-admin" },
            cancellationToken, idempotencyKey: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, invite);
        var (createClient, _) = await client.PostJsonAsync($"/api/identity/practices/{practice.Ods}/clients", new { displayName = "Back door" },
            cancellationToken, idempotencyKey: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, createClient);
    }

    [Fact(Timeout = 300_000)]
    public async Task After_a_password_change_earlier_tokens_are_refused_everywhere_within_seconds_and_a_new_sign_in_works()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var user = (await platform.TenantsAsync(cancellationToken)).TakeWarnedUser();
        var client = ApiClient.ForUser(platform.Gateway, Addresses.Next(), user.Email, user.Password);
        var token = await client.AccessTokenAsync(cancellationToken);
        await AssertAcceptedEverywhereAsync(token, cancellationToken);

        var newPassword = $"Changed passphrase {Guid.NewGuid():N}";
        var (changed, body) = await client.PostJsonAsync("/api/identity/password/change", new { currentPassword = user.Password, newPassword }, cancellationToken);
        Assert.True(changed == HttpStatusCode.NoContent, $"Changing the password answered {(int)changed}: {body}");

        await AssertRefusedEverywhereWithinWindowAsync("password change", token, cancellationToken);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/submissions?pageSize=1"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, cancellationToken);
            Assert.Equal("session_ended", (await response.ReadProblemAsync(cancellationToken)).Code);
        }
        var signedInAgain = await ApiClient.ForUser(platform.Gateway, Addresses.Next(), user.Email, newPassword).AccessTokenAsync(cancellationToken);
        await AssertAcceptedEverywhereAsync(signedInAgain, cancellationToken);
    }

    private static IEnumerable<(string Name, Uri Url)> Targets(ResiliencePlatform platform) =>
        TokenTests.ProtectedPaths.Select(p => ($"gateway {p.Value}", new Uri(platform.Gateway.BaseAddress!, p.Value)))
            .Concat(TokenTests.ProtectedPaths.Select(p => ($"{p.Key} directly", new Uri(platform.ServiceUrl(p.Key), p.Value))));

    private async Task AssertAcceptedEverywhereAsync(string token, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var refused = new List<string>();
        foreach (var (name, url) in Targets(platform))
        {
            var status = await StatusAsync(http, url, token, cancellationToken);
            if (status != HttpStatusCode.OK) refused.Add($"{name} answered {(int)status}");
        }

        Assert.True(refused.Count == 0, string.Join(Environment.NewLine, refused));
    }

    /// <summary>Asks every target again and again until it refuses the token; reports how long each took.</summary>
    private async Task AssertRefusedEverywhereWithinWindowAsync(string change, string token, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var clock = Stopwatch.StartNew();
        var giveUp = Window * 3;
        var took = await Task.WhenAll(Targets(platform).Select(async target =>
        {
            while (clock.Elapsed < giveUp)
            {
                if (await StatusAsync(http, target.Url, token, cancellationToken) == HttpStatusCode.Unauthorized) return (target.Name, Took: (TimeSpan?)clock.Elapsed);
                await Task.Delay(100, cancellationToken);
            }

            return (target.Name, Took: null);
        }));

        var report = string.Join(Environment.NewLine, took.Select(t => $"{t.Name}: {(t.Took is { } d ? $"refused after {d.TotalSeconds:0.0} s" : "still accepted")}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"Earlier token after a {change}:{Environment.NewLine}{report}");
        Assert.True(took.All(t => t.Took <= Window), $"Every target must refuse the earlier token within {Window.TotalSeconds} s of a {change}:{Environment.NewLine}{report}");
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, Uri url, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", Addresses.Next());
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }
}
