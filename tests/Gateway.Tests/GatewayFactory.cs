using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;

namespace Gateway.Tests;

/// <summary>
/// The real gateway (its Program, appsettings routes and middleware) in a test server, with every cluster pointed at the
/// stand-in <see cref="Downstream"/> (notifications at a closed port, to see a 502), the given Redis, small limits, one
/// allowed CORS origin and JWTs from <see cref="TestTokens"/>. Requests may name their client address in
/// <see cref="ClientAddressHeader"/> (the test server has no real connection).
/// </summary>
public sealed class GatewayFactory(string redisConnectionString, Uri downstream, IDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string AllowedOrigin = "https://portal.example.test";
    public const string ClientAddressHeader = "X-Test-Client-Address";
    public const int SignInLimit = 3;

    public GatewayFactory(GatewayServers servers, IDictionary<string, string?>? settings = null)
        : this(servers.Redis.ConnectionString, servers.Downstream.Address, settings)
    {
    }

    public static readonly int ClosedPort = FreeTcpPort.Find();

    /// <summary>A client as seen from its own address.</summary>
    public HttpClient ClientFrom(string address, string? token = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(ClientAddressHeader, address);
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        builder.UseSetting("Identity:Authority", TestTokens.Issuer);
        foreach (var cluster in new[] { "identity", "submissions", "payments" })
        {
            builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:primary:Address", downstream.ToString());
        }
        builder.UseSetting("ReverseProxy:Clusters:notifications:Destinations:primary:Address", $"http://127.0.0.1:{ClosedPort}/");
        builder.UseSetting("ReverseProxy:Routes:payments:Timeout", "00:00:01");
        builder.UseSetting("ReverseProxy:Routes:submissions-root:MaxRequestBodySize", "1024");
        builder.UseSetting("ReverseProxy:Routes:submissions:MaxRequestBodySize", "1024");
        builder.UseSetting("Gateway:Cors:Origins:0", AllowedOrigin);
        builder.UseSetting("Gateway:RateLimits:SignIn:PermitLimit", SignInLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Gateway:RateLimits:SignIn:Window", "00:05:00");
        builder.UseSetting("Gateway:RateLimits:Api:PermitLimit", "50");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            TestTokens.TrustTestKey(services);
            services.AddSingleton<IStartupFilter, ClientAddressFilter>();
        });
    }

    private sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(ClientAddressHeader, out var address))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                    context.Request.Headers.Remove(ClientAddressHeader);
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
