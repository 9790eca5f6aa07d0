using System.Text.Json;
using Platform.ServiceDefaults;
using Portal.Authentication;

namespace Portal.Tests;

public class LocalUrlTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/submissions", "/submissions")]
    [InlineData("/submissions/7?tab=payment#lines", "/submissions/7?tab=payment#lines")]
    [InlineData("//evil.example", "/")]
    [InlineData("//evil.example/path", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("http:/evil.example", "/")]
    [InlineData("evil.example", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void Only_a_path_on_this_site_is_kept(string? returnUrl, string expected) =>
        Assert.Equal(expected, SignInEndpoints.LocalUrl(returnUrl));
}

public class PortalClaimsTests
{
    private static string Token(object payload)
    {
        static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Base64Url("{\"alg\":\"none\"}"u8.ToArray())}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload))}.signature";
    }

    [Fact]
    public void A_practice_users_token_gives_their_name_role_and_practice()
    {
        var user = PortalClaims.FromAccessToken(Token(new
        {
            sub = "0b7f3c1e-2d4a-4c55-9a8e-1f2d3c4b5a69",
            name = "Dr Aisha Patel",
            email = "aisha.patel@nhs.net",
            role = "practice-admin",
            practice = "A81001",
            aud = "platform-api",
            scope = "submissions payments",
        }));

        Assert.True(user.Identity!.IsAuthenticated);
        Assert.Equal("Dr Aisha Patel", user.Identity.Name);
        Assert.Equal("Dr Aisha Patel", user.DisplayName());
        Assert.Equal("A81001", user.PracticeOds());
        Assert.Null(user.Icb());
        Assert.True(user.IsInRole(PlatformRoles.PracticeAdmin));
        Assert.False(user.IsInRole(PlatformRoles.Commissioner));
        Assert.Null(user.FindFirst("aud"));
        Assert.Null(user.FindFirst("scope"));
    }

    [Fact]
    public void Roles_in_an_array_are_each_a_role()
    {
        var user = PortalClaims.FromAccessToken(Token(new
        {
            sub = "u-2", email = "lee.commissioner@nhs.net", role = new[] { "commissioner", "platform-admin" }, icb = "QWE",
        }));

        Assert.True(user.IsInRole(PlatformRoles.Commissioner));
        Assert.True(user.IsInRole(PlatformRoles.PlatformAdmin));
        Assert.False(user.IsInRole(PlatformRoles.PracticeUser));
        Assert.Equal("QWE", user.Icb());
        Assert.Null(user.PracticeOds());
        Assert.Equal("lee.commissioner@nhs.net", user.DisplayName());
    }

    [Theory]
    [InlineData("Zoë")]     // payload length needing one '=' of padding once encoded
    [InlineData("Zoë ")]    // and two
    [InlineData("Zoë  ")]   // and none
    public void Payloads_of_any_length_decode(string name)
    {
        var user = PortalClaims.FromAccessToken(Token(new { name }));

        Assert.Equal(name, user.Identity!.Name);
    }

    [Fact]
    public void A_token_that_is_not_a_jwt_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => PortalClaims.FromAccessToken("opaque-token"));
}
