using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Web;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Identity.Tests;

/// <summary>A browser on the sign-in pages: keeps cookies, does not follow redirects, and fills forms from the page it was given.</summary>
public sealed partial class LoginBrowser : IDisposable
{
    public const string RedirectUri = "http://portal.test/callback";

    public static readonly Dictionary<string, string?> Settings = new() { ["Identity:Server:PortalRedirectUris:0"] = RedirectUri };

    private readonly HttpClient client;

    public LoginBrowser(IdentityApp app) =>
        client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public HttpClient Client => client;

    /// <summary>An authorize URL of the practice portal (code + PKCE).</summary>
    public static string AuthorizeUrl()
    {
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"/connect/authorize?client_id=practice-portal&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}"
            + $"&scope={Uri.EscapeDataString("openid platform-api")}&state=s1&code_challenge={challenge}&code_challenge_method=S256";
    }

    /// <summary>Starts an authorize request and returns the sign-in page it leads to.</summary>
    public async Task<string> OpenSignInAsync(string authorizeUrl)
    {
        using var toLogin = await client.GetAsync(authorizeUrl);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, toLogin.StatusCode);
        return await client.GetStringAsync(toLogin.Headers.Location);
    }

    /// <summary>Posts the page's form (antiforgery token and returnUrl copied from it) with the given fields.</summary>
    public Task<HttpResponseMessage> SubmitAsync(string page, params (string Name, string Value)[] fields)
    {
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Field(page, "__RequestVerificationToken"),
            ["returnUrl"] = Field(page, "returnUrl"),
        };
        foreach (var (name, value) in fields) form[name] = value;
        return client.PostAsync(HttpUtility.HtmlDecode(FormAction().Match(page).Groups[1].Value), new FormUrlEncodedContent(form));
    }

    public static string Field(string page, string name) =>
        HttpUtility.HtmlDecode(Regex.Match(page, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"").Groups[1].Value);

    public void Dispose() => client.Dispose();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();
}
