using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Portal.Api;
using Portal.Authentication;
using Portal.Components;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.ServiceDefaults;

namespace Portal;

public static class PortalServiceExtensions
{
    public const string RedisConnectionName = "redis";
    private const string KeyRingKey = "portal:data-protection-keys";

    /// <summary>
    /// The portal's services: options, sign-in (cookie session holding the tokens, OpenID Connect with Identity), the
    /// data-protection key ring shared by every replica, the typed API clients, and Razor components rendered on the server.
    /// </summary>
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.AddSharedKeyRing();
        builder.Services.AddPortalAuthentication(builder.Configuration);
        builder.Services.AddAuthorization();
        builder.Services.AddPortalApi();
        builder.Services.AddRazorComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // The gateway in front says which host and scheme the person used, so redirects and cookies match them.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        });
        return builder;
    }

    /// <summary>
    /// Cookies, antiforgery tokens and the sign-in's correlation cookies are protected with one key ring in Redis, so a
    /// form rendered by one replica can be posted to another; replicas create its keys one at a time.
    /// </summary>
    private static void AddSharedKeyRing(this WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("platform-portal");
        if (builder.Configuration.GetConnectionString(RedisConnectionName) is { Length: > 0 })
        {
            builder.Services.TryAddSingleton<SharedRedis>();
            builder.Services.AddOptions<KeyManagementOptions>().Configure<SharedRedis>((options, redis) =>
                options.XmlRepository = new RedisXmlRepository(() => redis.Database()!, KeyRingKey));
            dataProtection.CreateKeysOneReplicaAtATime(services =>
                new RedisReplicaLock(services.GetRequiredService<SharedRedis>(), KeyRingKey + ":creating"));
        }
    }

    public static WebApplication UsePortal(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler("/error", createScopeForErrors: true); // in every environment: a person never sees a stack trace
        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseAuthentication();
        app.UseSessionEndedRedirect();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapSignInEndpoints();
        app.MapLiveTimeline();
        app.MapRazorComponents<App>();
        return app;
    }
}
