using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Authentication;

namespace Portal.Tests;

/// <summary>The session's access token is renewed before it runs out, and a refused refresh ends the session.</summary>
public sealed class TokenRefresherTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_token_with_minutes_to_run_is_left_alone()
    {
        var identity = new FakeTokenEndpoint(HttpStatusCode.OK, Tokens("fresh"));
        var context = Session(expiresAt: Now.AddMinutes(10));

        await Refresher(identity).RefreshIfDueAsync(context);

        Assert.Equal(0, identity.Requests);
        Assert.False(context.ShouldRenew);
        Assert.Equal("old-access", context.Properties.GetTokenValue("access_token"));
    }

    [Fact]
    public async Task A_token_about_to_expire_is_refreshed_and_the_cookie_rewritten_with_the_new_pair()
    {
        var identity = new FakeTokenEndpoint(HttpStatusCode.OK, Tokens("fresh"));
        var context = Session(expiresAt: Now.AddSeconds(30));

        await Refresher(identity).RefreshIfDueAsync(context);

        Assert.Equal(1, identity.Requests);
        Assert.Contains("grant_type=refresh_token", identity.LastBody);
        Assert.Contains("refresh_token=old-refresh", identity.LastBody);
        Assert.Contains("client_id=practice-portal", identity.LastBody);
        Assert.True(context.ShouldRenew);
        Assert.Equal(Jwt("fresh"), context.Properties.GetTokenValue("access_token"));
        Assert.Equal("fresh-refresh", context.Properties.GetTokenValue("refresh_token"));
        Assert.Equal("Fresh Name", context.Principal!.FindFirst("name")?.Value);
    }

    [Fact]
    public async Task A_refused_refresh_ends_the_session()
    {
        var identity = new FakeTokenEndpoint(HttpStatusCode.BadRequest, """{"error":"invalid_grant","code":"credential_changed"}""");
        var context = Session(expiresAt: Now.AddSeconds(10));

        await Refresher(identity).RefreshIfDueAsync(context);

        Assert.Equal(1, identity.Requests);
        Assert.Null(context.Principal);
        Assert.False(context.ShouldRenew);
    }

    private static TokenRefresher Refresher(FakeTokenEndpoint identity)
    {
        var options = Options.Create(new PortalOptions { GatewayUrl = new Uri("http://gateway.test/"), IdentityUrl = new Uri("http://identity.test/") });
        var backchannel = new IdentityBackchannel(options, new SingleClientFactory(new HttpClient(identity)));
        return new TokenRefresher(backchannel, new FakeTimeProvider(Now), NullLogger<TokenRefresher>.Instance);
    }

    private static CookieValidatePrincipalContext Session(DateTimeOffset expiresAt)
    {
        var services = new ServiceCollection().AddLogging().AddAuthentication().AddCookie().Services.BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        var properties = new AuthenticationProperties();
        properties.StoreTokens(
        [
            new AuthenticationToken { Name = "access_token", Value = "old-access" },
            new AuthenticationToken { Name = "refresh_token", Value = "old-refresh" },
            new AuthenticationToken { Name = "expires_at", Value = expiresAt.ToString("o") },
        ]);
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim("name", "Old Name")], "platform")), properties,
            CookieAuthenticationDefaults.AuthenticationScheme);
        var scheme = new AuthenticationScheme(CookieAuthenticationDefaults.AuthenticationScheme, null, typeof(CookieAuthenticationHandler));
        return new CookieValidatePrincipalContext(http, scheme, new CookieAuthenticationOptions(), ticket);
    }

    private static string Tokens(string name) =>
        $$"""{"access_token":"{{Jwt(name)}}","expires_in":900,"refresh_token":"{{name}}-refresh","token_type":"Bearer"}""";

    private static string Jwt(string name)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $$"""{{Part("""{"alg":"none"}""")}}.{{Part($$"""{"sub":"u1","name":"Fresh Name","role":"practice-user"}""")}}.signature""";
    }

    private sealed class FakeTokenEndpoint(HttpStatusCode status, string json) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        public string LastBody { get; private set; } = "";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            Assert.Equal("http://identity.test/connect/token", request.RequestUri!.ToString());
            LastBody = await request.Content!.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        }
    }

    private sealed class SingleClientFactory(HttpClient client) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => client;
    }
}
