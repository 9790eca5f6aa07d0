using System.Text.Json;
using System.Text.Json.Serialization;
using Identity.Api.Application;
using Identity.Api.Data;
using Identity.Api.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Platform.Messaging;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Identity.Tests;

/// <summary>
/// The Identity service on its own fresh database (real PostgreSQL and RabbitMQ), with a fake clock the test moves.
/// The background expiry scan is off: tests run the scanner themselves.
/// </summary>
public sealed class IdentityApp : WebApplicationFactory<Program>
{
    public const string Password = "lantern orchard pebble 47";

    private readonly Dictionary<string, string?> settings;

    private IdentityApp(string connectionString, Uri broker, string redis, FakeTimeProvider time, Dictionary<string, string?> extra)
    {
        ConnectionString = connectionString;
        Time = time;
        settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:identitydb"] = connectionString,
            ["ConnectionStrings:messaging"] = broker.ToString(),
            ["ConnectionStrings:redis"] = redis,
            ["Identity:Server:RequireHttps"] = "false",
            ["Identity:ExpiryScan:Enabled"] = "false",
            ["Identity:Links:PortalBaseUrl"] = "http://portal.test/",
            ["Platform:DemoData"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
    }

    public string ConnectionString { get; }

    public FakeTimeProvider Time { get; }

    public static async Task<IdentityApp> StartAsync(
        MessagingServers servers, Dictionary<string, string?>? settings = null, string? connectionString = null, FakeTimeProvider? time = null)
    {
        connectionString ??= await servers.CreateDatabaseAsync("identity");
        var app = new IdentityApp(connectionString, servers.RabbitMq.AmqpUri, servers.Redis.ConnectionString, time ?? NewClock(), settings ?? []);
        app.StartServer();
        return app;
    }

    /// <summary>A fake clock at the current second (PostgreSQL keeps microseconds, so whole seconds compare exactly).</summary>
    public static FakeTimeProvider NewClock() =>
        new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment("Testing");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    public async Task InScopeAsync(Func<IServiceProvider, Task> work)
    {
        await using var scope = Services.CreateAsyncScope();
        await work(scope.ServiceProvider);
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<T> InDbAsync<T>(Func<IdentityDbContext, Task<T>> work) =>
        InScopeAsync(services => work(services.GetRequiredService<IdentityDbContext>()));

    public Task RegisterPracticeAsync(string ods, string icb = "QWE") =>
        InScopeAsync(services => services.GetRequiredService<AccountService>().RegisterPracticeAsync(ods, $"Practice {ods}", icb, 5000, CancellationToken.None));

    public Task<PlatformUser> CreateUserAsync(string email, string role = PlatformRoles.PracticeUser, string? ods = "A81001", string? icb = null, string password = Password) =>
        InScopeAsync(async services =>
        {
            var accounts = services.GetRequiredService<AccountService>();
            var user = accounts.NewUser(email, email.Split('@')[0], role, ods, icb);
            var problems = await services.GetRequiredService<PasswordService>().SetPasswordAsync(user, password, CancellationToken.None);
            Assert.Empty(problems);
            await services.GetRequiredService<IdentityDbContext>().SaveChangesAsync();
            return user;
        });

    public async Task<TokenResponse> PasswordGrantAsync(string username, string password, string scope = "openid offline_access platform-api")
    {
        using var response = await CreateClient().PostAsync(PasswordGrant.Path, PasswordGrant.Content(username, password, scope));
        return await TokenResponse.ReadAsync(response);
    }

    public async Task<TokenResponse> RefreshAsync(string refreshToken)
    {
        using var response = await CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "platform-cli",
            ["refresh_token"] = refreshToken,
        }));
        return await TokenResponse.ReadAsync(response);
    }

    public async Task<TokenResponse> ClientCredentialsAsync(string clientId, string secret)
    {
        using var response = await CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "platform-api",
        }));
        return await TokenResponse.ReadAsync(response);
    }

    /// <summary>An HttpClient that sends the access token of a freshly signed-in user.</summary>
    public async Task<HttpClient> ClientForAsync(string email, string password = Password)
    {
        var token = await PasswordGrantAsync(email, password);
        Assert.True(token.IsSuccess, token.Raw);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.AccessToken);
        return client;
    }

    /// <summary>Events saved to the outbox so far, of one type, deserialised.</summary>
    public Task<List<T>> OutboxAsync<T>() => InDbAsync(async db =>
    {
        var rows = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(row => row.MessageType.StartsWith(typeof(T).FullName + ","))
            .OrderBy(row => row.Id)
            .Select(row => row.Body)
            .ToListAsync();
        return rows.Select(body => JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)!).ToList();
    });
}

/// <summary>A token endpoint answer: tokens, or an OAuth error with the platform's code.</summary>
public sealed record TokenResponse(int Status, string Raw, OAuthTokenBody Body)
{
    public bool IsSuccess => Status == 200;

    public string? AccessToken => Body.AccessToken;

    public string? RefreshToken => Body.RefreshToken;

    public string? Error => Body.Error;

    public string? ErrorDescription => Body.ErrorDescription;

    public string? ErrorUri => Body.ErrorUri;

    public string? Code => Body.Code;

    public static async Task<TokenResponse> ReadAsync(HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync();
        return new TokenResponse((int)response.StatusCode, raw, JsonSerializer.Deserialize<OAuthTokenBody>(raw)!);
    }
}

/// <summary>
/// The token endpoint's OAuth JSON (RFC 6749 5.1 and 5.2; OpenIddict has no type for it) with the fields Identity adds to
/// an error: <c>code</c>, and <c>unlock_at</c> or <c>password_expired_at</c> (ISO 8601, as ConnectApi writes them).
/// </summary>
public sealed record OAuthTokenBody(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription,
    [property: JsonPropertyName("error_uri")] string? ErrorUri,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("unlock_at")] DateTimeOffset? UnlockAt,
    [property: JsonPropertyName("password_expired_at")] DateTimeOffset? PasswordExpiredAt);

public static class JwtPayload
{
    /// <summary>The claims of a JWT, unverified (the tests check what the token says; resource servers check signatures).</summary>
    public static JsonElement Read(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonSerializer.Deserialize<JsonElement>(Convert.FromBase64String(payload));
    }

    public static JsonElement Header(string jwt)
    {
        var header = jwt.Split('.')[0].Replace('-', '+').Replace('_', '/');
        header = header.PadRight(header.Length + ((4 - (header.Length % 4)) % 4), '=');
        return JsonSerializer.Deserialize<JsonElement>(Convert.FromBase64String(header));
    }
}
