using Identity.Api.Apis;
using Identity.Api.Application;
using Identity.Api.Data;
using Identity.Api.Domain;
using Identity.Api.Jobs;
using Identity.Api.Telemetry;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Validation.AspNetCore;
using Platform.Messaging;
using Platform.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Api;

public static class ApplicationServiceExtensions
{
    private const string DatabaseName = "identitydb";
    private const long DataProtectionKeyLockId = 0x494450524F54; // "IDPROT"

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTokenRevocations();
        builder.Services.AddSingleton<EndSessionsOnNewSecurityStamp>();
        builder.AddServiceDatabase<IdentityDbContext>(DatabaseName, (services, options) => options.UsePlatformOutbox(services)
            .AddInterceptors(services.GetRequiredService<EndSessionsOnNewSecurityStamp>()));
        builder.AddPlatformMessaging<IdentityDbContext>("identity");
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.AddIdentityOptions();
        builder.AddAccounts();
        builder.AddTokenServer();
        builder.AddJobs();
        return builder;
    }

    private static void AddIdentityOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CredentialOptions>().BindConfiguration(CredentialOptions.Section)
            .Validate(options => !options.Problems().Any(), "Identity:Credentials is not valid.").ValidateOnStart();
        builder.Services.AddOptions<TokenServerOptions>().BindConfiguration(TokenServerOptions.Section)
            .Validate(options => !options.Problems().Any(), "Identity:Server is not valid.").ValidateOnStart();
        builder.Services.AddOptions<ExpiryScanOptions>().BindConfiguration(ExpiryScanOptions.Section)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                // The local demo scans every minute unless told otherwise, so the first warning arrives quickly.
                if (configuration.GetValue<bool>(DemoData.ConfigurationKey) && configuration[$"{ExpiryScanOptions.Section}:Interval"] is null)
                {
                    options.Interval = TimeSpan.FromMinutes(1);
                }
            })
            .Validate(options => !options.Problems().Any(), "Identity:ExpiryScan is not valid.").ValidateOnStart();
        builder.Services.AddOptions<EmailLinkOptions>().BindConfiguration(EmailLinkOptions.Section).ValidateOnStart();
    }

    private static void AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIdentityCore<PlatformUser>(identity =>
            {
                identity.User.RequireUniqueEmail = true;
                identity.User.AllowedUserNameCharacters += "+'";

                // ASVS 5: length, no composition rules. The rest (blocklist, history) is PasswordPolicy.
                identity.Password.RequiredLength = 12;
                identity.Password.RequireDigit = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Password.RequiredUniqueChars = 1;
            })
            .AddEntityFrameworkStores<IdentityDbContext>();
        builder.Services.AddOptions<PasswordHasherOptions>()
            .Configure<IOptions<CredentialOptions>>((hasher, credentials) =>
            {
                hasher.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3; // PBKDF2-HMAC-SHA512
                hasher.IterationCount = credentials.Value.HashIterations;
            });

        builder.Services.AddSingleton(PasswordBlocklist.LoadEmbedded());
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<CredentialOptions>>().Value;
            return new PasswordPolicy(options.PasswordMinimumLength, options.PasswordMaximumLength, services.GetRequiredService<PasswordBlocklist>());
        });
        builder.Services.AddScoped<SignInChecker>();
        builder.Services.AddSingleton<PasswordVerifications>();
        builder.Services.AddSingleton<UnknownAccountLockout>();
        builder.Services.AddSingleton<ExpiredPasswordProof>();
        builder.Services.AddScoped<PasswordService>();
        builder.Services.AddScoped<AccountService>();
        builder.Services.AddSingleton<TokenPrincipals>();
    }

    private static void AddTokenServer(this IHostApplicationBuilder builder)
    {
        var server = builder.Configuration.GetSection(TokenServerOptions.Section).Get<TokenServerOptions>() ?? new TokenServerOptions();
        if (builder.Configuration.GetValue<bool>(DemoData.ConfigurationKey) && builder.Configuration[$"{TokenServerOptions.Section}:RequireHttps"] is null)
        {
            server.RequireHttps = false; // the local demo run is plain HTTP behind the gateway
        }

        var connectionString = builder.Configuration.GetConnectionString("identitydb")!;
        builder.Services.AddSingleton(services => new ServerKeyStore(
            connectionString,
            services.GetRequiredService<IOptions<TokenServerOptions>>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<ServerKeyStore>>()));
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ServerKeysConfiguration>();

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>().ReplaceDefaultEntities<Guid>())
            .AddServer(options =>
            {
                options.SetTokenEndpointUris("connect/token")
                    .SetAuthorizationEndpointUris("connect/authorize")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks")
                    .SetConfigurationEndpointUris(".well-known/openid-configuration");
                if (server.Issuer is not null)
                {
                    options.SetIssuer(server.Issuer);
                }

                options.AllowPasswordFlow()
                    .AllowClientCredentialsFlow()
                    .AllowRefreshTokenFlow()
                    .AllowAuthorizationCodeFlow()
                    .RequireProofKeyForCodeExchange();
                options.AddEventHandler(AdvertisePublicEndpoints.Descriptor);
                // S256 only: "plain" sends the verifier itself through the browser.
                options.Configure(server => server.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                options.RegisterScopes([.. TokenPrincipals.AllowedScopes]);
                options.RegisterClaims(Claims.Subject, Claims.Name, Claims.Email, Claims.PreferredUsername, Claims.Role, ClaimNames.Practice, ClaimNames.Icb);

                // Resource servers validate access tokens themselves with the published keys (JWKS): sign, don't encrypt.
                options.DisableAccessTokenEncryption();
                options.SetAccessTokenLifetime(server.AccessTokenLifetime);
                options.SetRefreshTokenLifetime(server.RefreshTokenLifetime);
                options.SetRefreshTokenReuseLeeway(server.RefreshTokenReuseLeeway);

                var aspNetCore = options.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough();
                if (!server.RequireHttps)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();
                options.UseAspNetCore();
                options.AddAudiences(server.Audience);
                options.AddEventHandler(RejectTokensNotYetValid.Descriptor);
                options.AddEventHandler(RejectEndedSessions.Descriptor);
            });

        builder.Services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .AddCookie(LoginApi.Scheme, cookie =>
            {
                cookie.Cookie.Name = server.RequireHttps ? "__Host-identity-login" : "identity-login";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = server.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                cookie.Cookie.Path = "/";
                cookie.LoginPath = LoginApi.LoginPath;
                cookie.SlidingExpiration = false;
            });
        // The login cookie and antiforgery tokens must open on whichever replica the next request reaches.
        builder.Services.AddDataProtection().SetApplicationName("platform-identity").PersistKeysToDbContext<IdentityDbContext>()
            .CreateKeysOneReplicaAtATime(services => new PostgresReplicaLock(
                services.GetRequiredService<IConfiguration>().GetConnectionString(DatabaseName)!, DataProtectionKeyLockId));
        builder.Services.AddAntiforgery(antiforgery => antiforgery.Cookie.SecurePolicy = server.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        builder.Services.AddAuthorization();
    }

    private static void AddJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<CredentialExpiryScanner>();
        builder.Services.AddSingleton<CredentialTelemetry>();
        builder.Services.AddScoped<DemoData>();
        builder.Services.AddHostedService<StartupData>();
        builder.Services.AddHostedService<CredentialExpiryScanJob>();
        builder.Services.AddHostedService<TokenPruningJob>();
    }

    /// <summary>The OpenID endpoints, the sign-in pages and the account APIs (authentication is in the pipeline, Program.cs).</summary>
    public static WebApplication MapIdentityEndpoints(this WebApplication app)
    {
        app.MapConnectApi();
        app.MapLoginApi();
        app.MapMeApi();
        app.MapEmailChangeApi();
        app.MapPasswordApi();
        app.MapPracticesApi();
        return app;
    }
}
