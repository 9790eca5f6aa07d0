using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Platform.Resilience.Running;
using Platform.Resilience.Tenancy;
using Platform.Testing;

namespace Platform.Resilience.Security;

/// <summary>
/// The rest of what probing the platform as an attacker found (issue 16, findings 3, 5 and 6), tried again against the
/// running platform: each attack must now be refused, and each answer is reported.
/// </summary>
public sealed class FrontDoorAttackTests(ResiliencePlatform platform)
{
    [Fact(Timeout = 300_000)]
    public async Task Every_attack_found_by_probing_is_refused()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var tenants = await platform.TenantsAsync(cancellationToken);
        var victim = tenants.TakeWarnedUser();
        var holder = tenants.TakeWarnedUser();
        var holderClient = ApiClient.ForUser(platform.Gateway, Addresses.Next(), holder.Email, holder.Password);
        using var http = new HttpClient();
        var refused = new List<string>();
        var wrong = new List<string>();
        void Expect(string attack, bool held, string answer) => (held ? refused : wrong).Add($"{attack}: {answer}");

        // 3. A bearer token alone moves the sign-in email.
        var (moved, movedBody) = await holderClient.SendJsonAsync(HttpMethod.Put, "/api/identity/me/contact",
            new { email = $"attacker.{Guid.NewGuid():N}@evil.test", displayName = holder.DisplayName }, cancellationToken);
        Expect("email change with a token and no password", moved == HttpStatusCode.BadRequest && movedBody.Code == "validation_failed", $"{(int)moved} {movedBody.Code}");
        // With the password too, the new address is not the sign-in name until its own mailbox confirms it.
        var attackerAddress = $"attacker.{Guid.NewGuid():N}@evil.test";
        var (asked, _) = await holderClient.SendJsonAsync(HttpMethod.Put, "/api/identity/me/contact",
            new { email = attackerAddress, displayName = holder.DisplayName, currentPassword = holder.Password }, cancellationToken);
        var (movedSignIn, _) = await SignInAsync(http, attackerAddress, holder.Password, "openid platform-api", cancellationToken);
        Expect("email change with the password, before the new address confirms it", asked == HttpStatusCode.OK && movedSignIn == HttpStatusCode.BadRequest,
            $"{(int)asked}, then signing in with the new address {(int)movedSignIn}");

        // 5. The account named twice: the gateway's limit counts one, Identity would act on the other.
        foreach (var (where, baseUri) in new[] { ("gateway", platform.Gateway.BaseAddress!), ("identity directly", platform.ServiceUrl("identity")) })
        {
            using var duplicate = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "/api/identity/password/change-expired"))
            {
                Content = new StringContent($$"""{"username":"someone@y90001.test","username":"{{victim.Email}}","currentPassword":"{{victim.Password}}","newPassword":"Whatever passphrase 2026"}""",
                    Encoding.UTF8, "application/json"),
            };
            duplicate.Headers.TryAddWithoutValidation("X-Forwarded-For", Addresses.Next());
            using var answer = await http.SendAsync(duplicate, cancellationToken);
            var code = (await ApiClient.BodyAsync(answer, cancellationToken)).Code;
            Expect($"a body naming the account twice ({where})", answer.StatusCode == HttpStatusCode.BadRequest && code == "duplicate_property", $"{(int)answer.StatusCode} {code}");
        }

        // 5. Discovery sends clients to Identity's own address, where no gateway limit applies.
        // (OpenID Connect's discovery document, OpenIddict's shape: read as JSON, as Identity's tests read it.)
        var discovery = JsonDocument.Parse(await http.GetStringAsync(new Uri(platform.ServiceUrl("identity"), "/.well-known/openid-configuration"), cancellationToken)).RootElement;
        var tokenEndpoint = discovery.GetProperty("token_endpoint").GetString()!;
        Expect("discovery asked of Identity directly", tokenEndpoint.StartsWith(platform.Gateway.BaseAddress!.ToString().TrimEnd('/'), StringComparison.Ordinal), tokenEndpoint);
        var methods = discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()).ToList();
        Expect("PKCE plain offered", !methods.Contains("plain"), string.Join(",", methods));

        // 6. A header the services cannot be sent, a chosen trace, internal addresses, a token without the API scope.
        // HttpClient refuses to send such a value unless told to encode headers as Latin-1, as other clients may.
        using (var latin1 = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1 }))
        using (var nonAscii = new HttpRequestMessage(HttpMethod.Get, new Uri(platform.Gateway.BaseAddress!, "/api/submissions?pageSize=1")))
        {
            nonAscii.Headers.TryAddWithoutValidation("X-Note", "caf\u00e9");
            using var answer = await latin1.SendAsync(nonAscii, cancellationToken);
            var code = (await ApiClient.BodyAsync(answer, cancellationToken)).Code;
            Expect("a non-ASCII header value", answer.StatusCode == HttpStatusCode.BadRequest && code == "invalid_header", $"{(int)answer.StatusCode} {code}");
        }
        const string Chosen = "4bf92f3577b34da6a3ce929d0e0e4736";
        using (var traced = new HttpRequestMessage(HttpMethod.Get, "/api/submissions/catalogue"))
        {
            traced.Headers.TryAddWithoutValidation("traceparent", $"00-{Chosen}-00f067aa0ba902b7-01");
            using var answer = await platform.Gateway.SendAsync(traced, cancellationToken);
            var traceId = answer.Headers.TryGetValues("X-Trace-Id", out var values) ? values.Single() : "";
            Expect("a caller's traceparent", traceId.Length == 32 && traceId != Chosen, traceId);
        }
        var ready = await platform.Gateway.GetStringAsync("/health/ready", cancellationToken);
        Expect("the public readiness report", !ready.Contains("http://", StringComparison.OrdinalIgnoreCase) && !ready.Contains("localhost", StringComparison.OrdinalIgnoreCase),
            ready.Length > 200 ? ready[..200] : ready);
        var scopeless = await TokenAsync(http, holder.Email, holder.Password, "openid offline_access", cancellationToken);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/submissions?pageSize=1"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", scopeless);
            using var answer = await platform.Gateway.SendAsync(request, cancellationToken);
            Expect("a token not granted platform-api", answer.StatusCode == HttpStatusCode.Unauthorized, $"{(int)answer.StatusCode}");
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"Refused ({refused.Count}):{Environment.NewLine}{string.Join(Environment.NewLine, refused)}");
        RunLog.Write($"front-door attacks refused: {refused.Count}; not refused: {wrong.Count}");
        Assert.True(wrong.Count == 0, $"Not refused:{Environment.NewLine}{string.Join(Environment.NewLine, wrong)}");
    }

    private async Task<string> TokenAsync(HttpClient http, string username, string password, string scope, CancellationToken cancellationToken)
    {
        var (status, body) = await SignInAsync(http, username, password, scope, cancellationToken);
        Assert.True(status == HttpStatusCode.OK, $"Signing in answered {(int)status}: {body}");
        return body.Read<OAuthTokenBody>().AccessToken;
    }

    private async Task<(HttpStatusCode Status, ApiBody Body)> SignInAsync(HttpClient http, string username, string password, string scope, CancellationToken cancellationToken)
    {
        using var request = PasswordGrant.Request(username, password, scope, new Uri(platform.Gateway.BaseAddress!, PasswordGrant.Path));
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", Addresses.Next());
        using var response = await http.SendAsync(request, cancellationToken);
        return (response.StatusCode, await ApiClient.BodyAsync(response, cancellationToken));
    }
}
