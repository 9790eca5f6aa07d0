using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Platform.ServiceDefaults;

namespace Portal.Authentication;

/// <summary>
/// Sign-in as a backend-for-frontend: OpenID Connect authorization code + PKCE with Identity (through the gateway, where
/// people see Identity's sign-in page), the tokens kept in the encrypted session cookie (never readable by the browser's
/// scripts), the access token refreshed before it runs out.
/// </summary>
public static class PortalAuthentication
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string Scopes = "openid profile email roles offline_access platform-api";

    public static IServiceCollection AddPortalAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IdentityBackchannel>();
        services.AddSingleton<TokenRefresher>();
        services.AddScoped<PasswordSignIn>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieScheme;
                options.DefaultChallengeScheme = OidcScheme;
            })
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "portal-session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.SlidingExpiration = true;
                options.AccessDeniedPath = "/access-denied";
                options.Events.OnValidatePrincipal = context =>
                    context.HttpContext.RequestServices.GetRequiredService<TokenRefresher>().RefreshIfDueAsync(context);
            })
            .AddOpenIdConnect(OidcScheme, _ => { });

        services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .Configure<IOptions<PortalOptions>>((options, portal) => options.ExpireTimeSpan = portal.Value.SessionIdleTimeout);
        services.AddOptions<OpenIdConnectOptions>(OidcScheme)
            .Configure<IOptions<PortalOptions>, IdentityBackchannel>((options, portal, backchannel) => Configure(options, portal.Value, backchannel));
        return services;
    }

    private static void Configure(OpenIdConnectOptions options, PortalOptions portal, IdentityBackchannel backchannel)
    {
        options.Authority = portal.GatewayUrl.ToString().TrimEnd('/');
        options.RequireHttpsMetadata = portal.GatewayUrl.Scheme == Uri.UriSchemeHttps;
        options.ClientId = portal.ClientId;
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.UsePkce = true;
        options.SaveTokens = true;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.Scope.Clear();
        foreach (var scope in Scopes.Split(' ')) options.Scope.Add(scope);
        options.TokenValidationParameters.NameClaimType = AuthenticationDefaults.Claims.Name;
        options.TokenValidationParameters.RoleClaimType = AuthenticationDefaults.Claims.Role;
        options.BackchannelHttpHandler = backchannel.CreateHandler();
        options.Events.OnRedirectToIdentityProvider = context =>
        {
            // People always go to the sign-in page through the gateway, whatever address discovery was read from, and come
            // back to the gateway's public address: the registered redirect URI, whatever host or scheme reached the portal
            // (behind a TLS-terminating ingress the portal itself sees plain HTTP). The handler keeps this URI after the
            // event and redeems the code with it.
            context.ProtocolMessage.IssuerAddress = new Uri(portal.GatewayUrl, "connect/authorize").ToString();
            context.ProtocolMessage.RedirectUri = new Uri(portal.GatewayUrl, options.CallbackPath.Value!.TrimStart('/')).ToString();
            return Task.CompletedTask;
        };
        options.Events.OnTokenValidated = context =>
        {
            // The session's identity is what the access token says (role, practice or ICB), the same as the APIs see.
            if (context.TokenEndpointResponse?.AccessToken is { } accessToken)
            {
                context.Principal = PortalClaims.FromAccessToken(accessToken);
            }
            return Task.CompletedTask;
        };
        options.Events.OnRemoteFailure = context =>
        {
            // A cancelled or failed sign-in (a stale browser tab, a refused request): a page a person can act on.
            context.Response.Redirect("/sign-in-failed");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    /// <summary>Tokens kept in the session: used by <see cref="SessionTokens"/> and the refresher.</summary>
    public static AuthenticationProperties WithTokens(this AuthenticationProperties properties, TokenResponse tokens, TimeProvider time)
    {
        var stored = new List<AuthenticationToken>
        {
            new() { Name = "access_token", Value = tokens.AccessToken },
            new() { Name = "expires_at", Value = time.GetUtcNow().AddSeconds(tokens.ExpiresIn).ToString("o", System.Globalization.CultureInfo.InvariantCulture) },
        };
        if (tokens.RefreshToken is { } refresh) stored.Add(new() { Name = "refresh_token", Value = refresh });
        if (tokens.IdToken is { } id) stored.Add(new() { Name = "id_token", Value = id });
        properties.StoreTokens(stored);
        return properties;
    }
}
