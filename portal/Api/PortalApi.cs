using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Platform.Client;
using Platform.Client.Identity;
using Platform.Client.Notifications;
using Platform.Client.Payments;
using Platform.Client.Submissions;
using Portal.Authentication;

namespace Portal.Api;

/// <summary>The generated Platform.Client for each service, through the gateway, with the signed-in person's token.</summary>
public sealed class PortalApi
{
    public const string GatewayClient = "gateway";
    public const string GatewayStreamClient = "gateway-stream";

    public PortalApi(IHttpClientFactory clients, SessionTokens tokens, IOptions<PortalOptions> options)
    {
        var adapter = PlatformRequestAdapter.Create(options.Value.GatewayUrl, tokens, clients.CreateClient(GatewayClient));
        Identity = new IdentityClient(adapter);
        Submissions = new SubmissionsClient(adapter);
        Payments = new PaymentsClient(adapter);
        Notifications = new NotificationsClient(adapter);
    }

    public IdentityClient Identity { get; }

    public SubmissionsClient Submissions { get; }

    public PaymentsClient Payments { get; }

    public NotificationsClient Notifications { get; }
}

public static class PortalApiExtensions
{
    public static IServiceCollection AddPortalApi(this IServiceCollection services)
    {
        services.AddTransient<ForwardedForHandler>();
        services.AddScoped<SessionTokens>();
        services.AddScoped<PortalApi>();
#pragma warning disable EXTEXP0001 // the only way to replace ConfigureHttpClientDefaults' resilience for one client
        // A person is waiting: retry only reads that failed in transit, never a form's POST (it could act twice), and never
        // wait out a 429's Retry-After (the page says to try later instead).
        services.AddHttpClient(PortalApi.GatewayClient).AddHttpMessageHandler<ForwardedForHandler>()
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
