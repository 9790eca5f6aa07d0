using System.Net;
using System.Net.Http.Headers;
using Platform.Resilience.Running;
using Platform.Resilience.Tenancy;

namespace Platform.Resilience.Security;

/// <summary>
/// Tokens that are expired, not yet valid, for another audience or issuer, signed with another key, unsigned
/// (<c>alg: none</c>), HMAC-signed with the public key, or with an edited claim are refused by the gateway and by every
/// service called directly - while the same token re-signed unchanged is accepted by all of them.
/// </summary>
public sealed class TokenTests(ResiliencePlatform platform)
{
    /// <summary>An authenticated GET on each service, the same path through the gateway and on the service directly.</summary>
    internal static readonly Dictionary<string, string> ProtectedPaths = new(StringComparer.Ordinal)
    {
        ["identity"] = "/api/identity/me",
        ["submissions"] = "/api/submissions?pageSize=1",
        ["payments"] = "/api/payments?pageSize=1",
        ["notifications"] = "/api/notifications?pageSize=1",
    };

    [Fact(Timeout = 300_000)]
    public async Task Forged_and_edited_tokens_are_refused_by_the_gateway_and_by_every_service_directly()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var tenants = await platform.TenantsAsync(cancellationToken);
        var user = tenants.TakeWarnedUser();
        var client = ApiClient.ForUser(platform.Gateway, Addresses.Next(), user.Email, user.Password);
        var forged = await ForgedTokens.FromAsync(platform, await client.AccessTokenAsync(cancellationToken), cancellationToken);

        var attacks = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["expired"] = forged.Expired(),
            ["not yet valid"] = forged.NotYetValid(),
            ["for another audience"] = forged.ForAnotherAudience(),
            ["from another issuer"] = forged.FromAnotherIssuer(),
            ["signed with another key"] = forged.SignedWithAnotherKey(),
            ["alg none"] = forged.AlgNone(),
            ["HS256 with the public key"] = forged.HmacWithThePublicKey(),
            ["role edited to platform-admin"] = forged.EditedKeepingTheSignature(claims => claims["role"] = "platform-admin"),
            ["practice edited"] = forged.EditedKeepingTheSignature(claims => claims["practice"] = "B82002"),
            ["subject edited"] = forged.EditedKeepingTheSignature(claims => claims["sub"] = Guid.NewGuid().ToString()),
            ["expiry extended"] = forged.EditedKeepingTheSignature(claims => claims["exp"] = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds()),
            ["garbage"] = "not.a.token",
        };

        var targets = ProtectedPaths.Select(p => (Name: $"gateway {p.Value}", Base: platform.Gateway.BaseAddress!, Path: p.Value))
            .Concat(ProtectedPaths.Select(p => (Name: $"{p.Key} directly", Base: platform.ServiceUrl(p.Key), Path: p.Value)))
            .ToList();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var wrong = new List<string>();
        foreach (var target in targets)
        {
            var control = await StatusAsync(http, target.Base, target.Path, forged.Resigned(), cancellationToken);
            if (control != HttpStatusCode.OK) wrong.Add($"{target.Name}: the genuine token re-signed answered {(int)control}");
            foreach (var (attack, token) in attacks)
            {
                var status = await StatusAsync(http, target.Base, target.Path, token, cancellationToken);
                if (status != HttpStatusCode.Unauthorized) wrong.Add($"{target.Name}: a token {attack} answered {(int)status}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, Uri baseAddress, string path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", Addresses.Next());
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }
}
