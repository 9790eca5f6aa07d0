using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Web;
using Identity.Api.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;

namespace Identity.Tests;

public sealed partial class AuthorizationCodeTests(MessagingServers servers)
{
    private const string RedirectUri = "http://portal.test/callback";

    [Fact]
    public async Task Authorization_code_with_pkce_signs_in_through_the_login_page_and_redeems_the_code()
    {
        await using var app = await IdentityApp.StartAsync(servers, new() { ["Identity:Server:PortalRedirectUris:0"] = RedirectUri });
        await app.RegisterPracticeAsync("A81001");
        await app.CreateUserAsync("user@a81001.test");
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var authorize = $"/connect/authorize?client_id=practice-portal&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}"
            + $"&scope={Uri.EscapeDataString("openid platform-api")}&state=s123&code_challenge={challenge}&code_challenge_method=S256";

        using var toLogin = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        Assert.StartsWith("/connect/login?returnUrl=", toLogin.Headers.Location!.OriginalString);

        var page = await browser.GetStringAsync(toLogin.Headers.Location);
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HttpUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value),
            ["returnUrl"] = HttpUtility.HtmlDecode(ReturnUrlField().Match(page).Groups[1].Value),
            ["username"] = "user@a81001.test",
            ["password"] = "wrong password here",
        };
        using var refused = await browser.PostAsync("/connect/login", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("incorrect", await refused.Content.ReadAsStringAsync());

        form["password"] = IdentityApp.Password;
        using var signedIn = await browser.PostAsync("/connect/login", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        using var toClient = await browser.GetAsync(signedIn.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, toClient.StatusCode);
        var callback = toClient.Headers.Location!;
        Assert.StartsWith(RedirectUri, callback.ToString());
        var query = HttpUtility.ParseQueryString(callback.Query);
        Assert.Equal("s123", query["state"]);

        using var exchange = await app.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "practice-portal",
            ["code"] = query["code"]!,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        }));
        var token = await TokenResponse.ReadAsync(exchange);
        Assert.True(token.IsSuccess, token.Raw);
        Assert.Equal("A81001", JwtPayload.Read(token.AccessToken!).GetProperty("practice").GetString());
    }

    [Fact]
    public async Task Authorize_without_pkce_is_refused()
    {
        await using var app = await IdentityApp.StartAsync(servers, new() { ["Identity:Server:PortalRedirectUris:0"] = RedirectUri });
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await browser.GetAsync($"/connect/authorize?client_id=practice-portal&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}&scope=openid&state=s1");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("invalid_request", body);
        Assert.Contains("code_challenge", body);
    }

    [Fact]
    public async Task The_login_page_and_the_code_flow_work_when_each_request_reaches_another_replica()
    {
        // Two Identity instances on one database, as ./platform run --replicas 2 or Kubernetes runs them: the antiforgery
        // token and the login cookie one issues must open on the other (data-protection keys live in the database).
        var settings = new Dictionary<string, string?> { ["Identity:Server:PortalRedirectUris:0"] = RedirectUri };
        await using var first = await IdentityApp.StartAsync(servers, settings);
        await using var second = await IdentityApp.StartAsync(servers, settings, first.ConnectionString);
        await first.RegisterPracticeAsync("A81001");
        await first.CreateUserAsync("user@a81001.test");
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false };
        using var toFirst = first.CreateClient(options);
        using var toSecond = second.CreateClient(options);
        var cookies = new Dictionary<string, string>();
        var (verifier, challenge) = Pkce();

        using var toLogin = await Send(toFirst, HttpMethod.Get, $"/connect/authorize?client_id=practice-portal&response_type=code"
            + $"&redirect_uri={Uri.EscapeDataString(RedirectUri)}&scope={Uri.EscapeDataString("openid platform-api")}&state=s9"
            + $"&code_challenge={challenge}&code_challenge_method=S256", cookies);
        using var loginPage = await Send(toFirst, HttpMethod.Get, toLogin.Headers.Location!.OriginalString, cookies);
        var page = await loginPage.Content.ReadAsStringAsync();
        using var signedIn = await Send(toSecond, HttpMethod.Post, "/connect/login", cookies, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HttpUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value),
            ["returnUrl"] = HttpUtility.HtmlDecode(ReturnUrlField().Match(page).Groups[1].Value),
            ["username"] = "user@a81001.test",
            ["password"] = IdentityApp.Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        using var toClient = await Send(toFirst, HttpMethod.Get, signedIn.Headers.Location!.OriginalString, cookies);

        Assert.StartsWith(RedirectUri, toClient.Headers.Location!.ToString());
        using var exchange = await toSecond.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "practice-portal",
            ["code"] = HttpUtility.ParseQueryString(toClient.Headers.Location!.Query)["code"]!,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        }));
        var token = await TokenResponse.ReadAsync(exchange);
        Assert.True(token.IsSuccess, token.Raw);
        // On one machine both would also find a key ring under ~/.aspnet; in a cluster (read-only file system, one pod
        // each) only the database is shared, so that is where the ring must be.
        var keys = await second.InScopeAsync(services => services.GetRequiredService<IdentityDbContext>().DataProtectionKeys.CountAsync());
        Assert.True(keys > 0, "No data-protection key was stored in the identity database.");
    }

    private static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (verifier, challenge);
    }

    /// <summary>Sends with the cookies collected so far and keeps the ones the answer sets, as a browser would across servers.</summary>
    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, Dictionary<string, string> cookies, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await client.SendAsync(request);
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = header.Split(';', 2)[0].Split('=', 2);
            cookies[pair[0]] = pair[1];
        }
        return response;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]+)\"")]
    private static partial Regex ReturnUrlField();
}
