using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Identity.Tests;

/// <summary>A resource server wired with ServiceDefaults' AddPlatformAuthentication against a running Identity service.</summary>
public sealed class ResourceServerTests(MessagingServers servers)
{
    [Fact]
    public async Task A_valid_token_is_accepted_and_its_practice_scopes_the_caller()
    {
        await using var identity = await IdentityApp.StartAsync(servers, time: new FakeTimeProvider(DateTimeOffset.UtcNow));
        await identity.RegisterPracticeAsync("A81001");
        await identity.CreateUserAsync("user@a81001.test");
        var token = (await identity.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).AccessToken!;
        await using var api = await ResourceServer.StartAsync(identity);

        using var response = await api.GetAsync("/practice-data", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("A81001", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tampered_expired_wrong_audience_and_alg_none_tokens_are_refused_with_401_problem_details()
    {
        // The identity clock runs an hour behind: its tokens (15 minutes) are already expired for the resource server.
        await using var past = await IdentityApp.StartAsync(servers, time: new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1)));
        await past.CreateUserAsync("user@a81001.test");
        var expired = (await past.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).AccessToken!;
        past.Time.SetUtcNow(DateTimeOffset.UtcNow);
        var valid = (await past.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).AccessToken!;

        var parts = valid.Split('.');
        var claims = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlDecode(parts[1]))!;
        claims["practice"] = JsonSerializer.SerializeToElement("B82002");
        var tampered = $"{parts[0]}.{Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(claims))}.{parts[2]}";
        var algNone = $"{Base64UrlEncode("""{"alg":"none","typ":"at+jwt"}"""u8.ToArray())}.{parts[1]}.";

        await using var api = await ResourceServer.StartAsync(past);
        await using var otherAudienceApi = await ResourceServer.StartAsync(past, audience: "another-api");

        using (var ok = await api.GetAsync("/practice-data", valid))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        foreach (var (server, token) in new[] { (api, tampered), (api, expired), (api, algNone), (otherAudienceApi, valid), (api, (string?)null) })
        {
            using var response = await server.GetAsync("/practice-data", token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("unauthorized", (await response.ReadProblemAsync()).Code);
        }
    }

    [Fact]
    public async Task A_token_without_the_required_role_is_403_problem_details()
    {
        await using var identity = await IdentityApp.StartAsync(servers, time: new FakeTimeProvider(DateTimeOffset.UtcNow));
        await identity.CreateUserAsync("user@a81001.test");
        var token = (await identity.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).AccessToken!;
        await using var api = await ResourceServer.StartAsync(identity);

        using var response = await api.GetAsync("/admin-only", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (await response.ReadProblemAsync()).Code);
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private sealed class ResourceServer(WebApplication app) : IAsyncDisposable
    {
        public static async Task<ResourceServer> StartAsync(IdentityApp identity, string audience = "platform-api")
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
            builder.WebHost.UseTestServer();
            builder.Configuration["Identity:Authority"] = "http://localhost/";
            builder.Configuration["Identity:Audience"] = audience;
            builder.Configuration["Identity:RequireHttpsMetadata"] = "false";
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
            builder.Services.AddPlatformProblemDetails();
            builder.AddPlatformAuthentication();
            // Discovery and JWKS come from the in-memory Identity server.
            builder.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                options => options.BackchannelHttpHandler = identity.Server.CreateHandler());

            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/practice-data", (System.Security.Claims.ClaimsPrincipal user) => Results.Text(user.PracticeOds()))
                .RequireAuthorization(AuthenticationDefaults.Policies.PracticeMember);
            app.MapGet("/admin-only", () => Results.Ok()).RequireAuthorization(AuthenticationDefaults.Policies.PlatformAdmin);
            await app.StartAsync();
            return new ResourceServer(app);
        }

        public async Task<HttpResponseMessage> GetAsync(string path, string? token)
        {
            var client = app.GetTestClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
            {
                request.Headers.Authorization = new("Bearer", token);
            }

            return await client.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
