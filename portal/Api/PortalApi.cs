using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Platform.Client;
using Portal.Authentication;

namespace Portal.Api;

/// <summary>The names of the portal's HTTP clients for the gateway.</summary>
public static class PortalApi
{
    public const string GatewayClient = "gateway";
    public const string GatewayStreamClient = "gateway-stream";
}

public static class PortalApiExtensions
{
    public static IServiceCollection AddPortalApi(this IServiceCollection services)
    {
        services.AddTransient<ForwardedForHandler>();
        services.AddTransient<SessionEndedHandler>();
        services.AddScoped<SessionTokens>();
        // The typed clients of every service, through the gateway, with the signed-in person's token.
        services.AddScoped(provider => new PlatformApi(provider.GetRequiredService<IOptions<PortalOptions>>().Value.GatewayUrl,
            provider.GetRequiredService<SessionTokens>(), provider.GetRequiredService<IHttpClientFactory>().CreateClient(PortalApi.GatewayClient)));
#pragma warning disable EXTEXP0001 // the only way to replace ConfigureHttpClientDefaults' resilience for one client
        // A person is waiting: retry only reads that failed in transit, never a form's POST (it could act twice), and never
        // wait out a 429's Retry-After (the page says to try later instead).
        services.AddHttpClient(PortalApi.GatewayClient).AddHttpMessageHandler<ForwardedForHandler>().AddHttpMessageHandler<SessionEndedHandler>()
            .RemoveAllResilienceHandlers().AddStandardResilienceHandler(ForPeopleWaiting);
        services.AddHttpClient(IdentityBackchannel.ClientName).AddHttpMessageHandler<ForwardedForHandler>()
            .RemoveAllResilienceHandlers().AddStandardResilienceHandler(ForPeopleWaiting);
        // A submission's live events stay open until it ends: no resilience timeouts on this one.
        services.AddHttpClient(PortalApi.GatewayStreamClient).AddHttpMessageHandler<ForwardedForHandler>().RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return services;
    }

    private static void ForPeopleWaiting(HttpStandardResilienceOptions options)
    {
        options.Retry.DisableForUnsafeHttpMethods();
        options.Retry.ShouldRetryAfterHeader = false;
        options.Retry.ShouldHandle = arguments => ValueTask.FromResult(
            arguments.Outcome.Exception is HttpRequestException || arguments.Outcome.Result?.StatusCode is System.Net.HttpStatusCode.BadGateway
                or System.Net.HttpStatusCode.ServiceUnavailable or System.Net.HttpStatusCode.GatewayTimeout);
    }
}
