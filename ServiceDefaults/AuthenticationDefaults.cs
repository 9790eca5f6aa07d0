using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Platform.ServiceDefaults;

/// <summary>Where resource servers find the identity service and what they accept (configuration section <c>Identity</c>).</summary>
public sealed class PlatformAuthenticationOptions
{
    public const string SectionName = "Identity";

    /// <summary>The identity service's base URL (<c>Identity:Authority</c>); discovery and JWKS are read from it.</summary>
    public Uri? Authority { get; set; }

    /// <summary>The issuer tokens must carry (<c>Identity:Issuer</c>); when unset, the one the discovery document announces.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>The audience every access token must name (<c>Identity:Audience</c>).</summary>
    public string Audience { get; set; } = AuthenticationDefaults.Audience;

    /// <summary>Refuse plain-HTTP discovery (<c>Identity:RequireHttpsMetadata</c>); off only for the local run and tests.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Allowance for clock differences between servers when checking token lifetimes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the list of revoked sessions is read from Redis (<see cref="TokenRevocations"/>).</summary>
    public TimeSpan RevocationPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a revocation is kept: longer than any access token lives, clock skew included.</summary>
    public TimeSpan RevocationRetention { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// JWT bearer validation of the platform's access tokens for resource servers (services and gateway): signature from
/// the identity service's discovery document and JWKS, issuer, audience <c>platform-api</c>, lifetime, RS256 only
/// (so <c>alg: none</c> and HMAC tricks are refused) and the <c>at+jwt</c> type; tokens of sessions ended early refused
/// (<see cref="TokenRevocations"/>); authorization policies by role; 401 and 403 answered as problem details.
/// </summary>
public static class AuthenticationDefaults
{
    public const string Audience = "platform-api";

    /// <summary>Claims the platform's access tokens carry (claim names are kept as issued, not mapped).</summary>
    public static class Claims
    {
        public const string Subject = "sub";
        public const string Role = "role";
        public const string Name = "name";
        public const string Email = "email";
        public const string Practice = "practice";
        public const string Icb = "icb";
        public const string ClientId = "client_id";

        /// <summary>A digest of the holder's security stamp: which of their sessions a token belongs to (<see cref="TokenRevocations"/>).</summary>
        public const string Session = "session";
    }

    /// <summary>Authorization policy names registered by <see cref="AddPlatformAuthentication"/>.</summary>
    public static class Policies
    {
        /// <summary>Any valid platform access token.</summary>
        public const string Authenticated = "authenticated";

        /// <summary>Someone acting for a practice (practice-user, practice-admin or system-client) with a <c>practice</c> claim.</summary>
        public const string PracticeMember = "practice-member";

        /// <summary>A practice's admin.</summary>
        public const string PracticeAdmin = "practice-admin";

        /// <summary>A commissioner with an <c>icb</c> claim.</summary>
        public const string Commissioner = "commissioner";

        public const string PlatformAdmin = "platform-admin";

        /// <summary>A system client (client credentials) acting for its practice.</summary>
        public const string SystemClient = "system-client";
    }

    /// <summary>
    /// Adds JWT bearer authentication (the default scheme) and the <see cref="Policies"/>, configured from the
    /// <c>Identity</c> section (<see cref="PlatformAuthenticationOptions"/>; <c>Identity:Authority</c> is required).
    /// Map endpoints with <c>RequireAuthorization(AuthenticationDefaults.Policies.PracticeMember)</c> and scope every
    /// query by <see cref="PracticeOds"/> or <see cref="Icb"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformAuthentication(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<PlatformAuthenticationOptions>()
            .BindConfiguration(PlatformAuthenticationOptions.SectionName)
            .Validate(options => options.Authority is { IsAbsoluteUri: true }, "Identity:Authority must be the identity service's absolute URL.")
            .Validate(options => !string.IsNullOrWhiteSpace(options.Audience), "Identity:Audience is required.")
            .ValidateOnStart();
        services.AddTokenRevocations();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<PlatformAuthenticationOptions>>((jwt, platform) => Configure(jwt, platform.Value));

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Authenticated, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(Policies.PracticeMember, policy => policy
                .RequireRole(PlatformRoles.PracticeUser, PlatformRoles.PracticeAdmin, PlatformRoles.SystemClient)
                .RequireClaim(Claims.Practice))
            .AddPolicy(Policies.PracticeAdmin, policy => policy.RequireRole(PlatformRoles.PracticeAdmin).RequireClaim(Claims.Practice))
            .AddPolicy(Policies.Commissioner, policy => policy.RequireRole(PlatformRoles.Commissioner).RequireClaim(Claims.Icb))
            .AddPolicy(Policies.PlatformAdmin, policy => policy.RequireRole(PlatformRoles.PlatformAdmin))
            .AddPolicy(Policies.SystemClient, policy => policy.RequireRole(PlatformRoles.SystemClient).RequireClaim(Claims.Practice));
        return builder;
    }

    /// <summary>The list of revoked sessions (<see cref="TokenRevocations"/>), read in the background; Identity also writes to it.</summary>
    public static IServiceCollection AddTokenRevocations(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PlatformAuthenticationOptions>().BindConfiguration(PlatformAuthenticationOptions.SectionName);
        services.TryAddSingleton<SharedRedis>();
        services.TryAddSingleton<TokenRevocations>();
        services.AddHostedService(provider => provider.GetRequiredService<TokenRevocations>());
        return services;
    }

    /// <summary>The practice (ODS code) the token is scoped to, if any.</summary>
    public static string? PracticeOds(this ClaimsPrincipal principal) => principal.FindFirst(Claims.Practice)?.Value;

    /// <summary>The ICB the token is scoped to, if any (commissioners).</summary>
    public static string? Icb(this ClaimsPrincipal principal) => principal.FindFirst(Claims.Icb)?.Value;

    /// <summary>The token's subject: a user id, or a system client's client id.</summary>
    public static string? Subject(this ClaimsPrincipal principal) => principal.FindFirst(Claims.Subject)?.Value;

    private static void Configure(JwtBearerOptions jwt, PlatformAuthenticationOptions platform)
    {
        jwt.Authority = platform.Authority?.ToString();
        jwt.Audience = platform.Audience;
        jwt.RequireHttpsMetadata = platform.RequireHttpsMetadata;
        jwt.MapInboundClaims = false;
        jwt.RefreshOnIssuerKeyNotFound = true; // a rotated signing key is fetched from the JWKS when first seen
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = platform.Issuer?.ToString(), // null: the issuer from the discovery document
            ValidateAudience = true,
            ValidAudience = platform.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = ["at+jwt", "application/at+jwt"],
            ClockSkew = platform.ClockSkew,
            NameClaimType = Claims.Name,
            RoleClaimType = Claims.Role,
        };
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (context.HttpContext.RequestServices.GetRequiredService<TokenRevocations>().IsRevoked(context.Principal!))
                {
                    context.Fail(new SessionEndedException());
                }
                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var (code, detail) = context.AuthenticateFailure switch
                {
                    null => ("unauthorized", "A bearer access token from the identity service is required."),
                    SessionEndedException ended => ("session_ended", ended.Message),
                    _ => ("unauthorized", "The access token is not valid (signature, issuer, audience, lifetime or algorithm)."),
                };
                context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null
                    ? "Bearer"
                    : "Bearer error=\"invalid_token\"";
                await WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, code, "Authentication is required.", detail);
            },
            OnForbidden = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "forbidden",
                "You are not allowed to do this.", "The access token does not grant the role this needs."),
        };
    }

    private static async Task WriteProblemAsync(HttpContext http, int status, string code, string title, string detail)
    {
        http.Response.StatusCode = status;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail, Extensions = { ["code"] = code } },
        });
    }
}

/// <summary>The token was issued before its holder's sessions were ended (disabled, or the password changed).</summary>
public sealed class SessionEndedException() : SecurityTokenException(
    "This session has ended: the account was disabled or its password changed since the access token was issued. Sign in again.");
