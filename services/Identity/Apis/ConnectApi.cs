using System.Globalization;
using System.Security.Claims;
using Identity.Api.Application;
using Identity.Api.Data;
using Identity.Api.Domain;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Platform.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Api.Apis;

/// <summary>
/// The token endpoint (OpenIddict passthrough): OpenIddict validates the request and the client, this code decides
/// whether the user or system client may have tokens and what they carry. Errors follow RFC 6749 with a stable
/// <c>code</c> added (<c>account_locked</c>, <c>password_expired</c>, <c>client_secret_expired</c>...).
/// </summary>
public static class ConnectApi
{
    public const string ChangeExpiredPasswordPath = "/api/identity/password/change-expired";

    public static RouteGroupBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/connect").ExcludeFromDescription();
        group.MapPost("/token", ExchangeAsync);
        group.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync);
        return group;
    }

    private static async Task<Results<SignInHttpResult, ForbidHttpResult>> ExchangeAsync(
        HttpContext http,
        SignInChecker signIn,
        UserManager<PlatformUser> users,
        IdentityDbContext db,
        TokenPrincipals principals,
        IOptions<TokenServerOptions> serverOptions,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var now = time.GetUtcNow();
        var publicBase = serverOptions.Value.Issuer;

        if (request.IsPasswordGrantType())
        {
            var check = await signIn.CheckAsync(request.Username, request.Password, cancellationToken);
            // OpenIddict's own request log is kept at Warning (it names the account in full); this line masks it.
            loggers.CreateLogger(typeof(ConnectApi).FullName!).LogInformation("Password sign-in for {Username} by client {ClientId}: {Outcome}",
                Redact.Email(request.Username), request.ClientId, check.GetType().Name);
            switch (check)
            {
                case SignInCheck.Locked locked:
                    return AccountLocked(locked.UnlockAt);
                case SignInCheck.Disabled:
                    return Reject(Errors.InvalidGrant, "account_disabled", "The account is disabled.");
                case SignInCheck.InvalidCredentials:
                    return Reject(Errors.InvalidGrant, "invalid_credentials", "The username or password is incorrect.");
            }

            var user = ((SignInCheck.Success)check).User;
            if (PasswordExpired(http, publicBase, user, now) is { } expired)
            {
                return expired;
            }

            return SignIn(principals.ForUser(user, request.GetScopes()));
        }

        if (request.IsRefreshTokenGrantType() || request.IsAuthorizationCodeGrantType())
        {
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var subject = result.Principal?.GetClaim(Claims.Subject);
            var user = Guid.TryParse(subject, out var userId) ? await users.FindByIdAsync(userId.ToString()) : null;
            if (user is null || user.IsDisabled)
            {
                return Reject(Errors.InvalidGrant, "account_disabled", "The account no longer exists or is disabled.");
            }

            var version = result.Principal!.GetClaim(ClaimNames.CredentialVersion);
            if (version != user.CredentialVersion.ToString(CultureInfo.InvariantCulture))
            {
                return Reject(Errors.InvalidGrant, "credential_changed", "The password was changed since this token was issued; sign in again.");
            }

            if (PasswordExpired(http, publicBase, user, now) is { } expired)
            {
                return expired;
            }

            return SignIn(principals.ForUser(user, result.Principal!.GetScopes()));
        }

        if (request.IsClientCredentialsGrantType())
        {
            var client = await db.SystemClients.AsNoTracking()
                .SingleOrDefaultAsync(candidate => candidate.ClientId == request.ClientId, cancellationToken);
            if (client is null || client.DisabledAt is not null)
            {
                return Reject(Errors.InvalidClient, "client_disabled", "The client is not a system client or is disabled.");
            }

            if (client.SecretExpiresAt <= now)
            {
                return Reject(Errors.InvalidClient, "client_secret_expired",
                    $"The client secret expired on {client.SecretExpiresAt.ToString("u", CultureInfo.InvariantCulture)}; "
                    + $"an admin of practice {client.PracticeOds} must rotate it "
                    + $"(POST /api/identity/practices/{client.PracticeOds}/clients/{client.ClientId}/secret).",
                    extra: new() { ["secret_expired_at"] = client.SecretExpiresAt.ToString("O", CultureInfo.InvariantCulture) });
            }

            return SignIn(principals.ForSystemClient(client, request.GetScopes()));
        }

        return Reject(Errors.UnsupportedGrantType, "unsupported_grant_type", "The grant type is not supported.");
    }

    /// <summary>
    /// Authorization code + PKCE: a person signed in through the login page gets a code for the client (OpenIddict
    /// has already checked the client, redirect URI and PKCE); anyone else is sent to the login page first.
    /// </summary>
    private static async Task<Results<SignInHttpResult, ForbidHttpResult, RedirectHttpResult>> AuthorizeAsync(
        HttpContext http, UserManager<PlatformUser> users, TokenPrincipals principals, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var login = await http.AuthenticateAsync(LoginApi.Scheme);
        var user = login.Succeeded && Guid.TryParse(login.Principal.GetClaim(Claims.Subject), out var userId)
            ? await users.FindByIdAsync(userId.ToString())
            : null;
        var expired = user?.PasswordExpiresAt <= time.GetUtcNow();
        if (user is null || user.IsDisabled || expired)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return TypedResults.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.LoginRequired,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user is not signed in.",
                }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            var returnUrl = http.Request.PathBase + http.Request.Path + QueryString.Create(
                http.Request.HasFormContentType ? [.. (await http.Request.ReadFormAsync(cancellationToken)).Select(pair => KeyValuePair.Create(pair.Key, pair.Value))] : [.. http.Request.Query]);
            return TypedResults.Redirect($"{LoginApi.LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        await http.SignOutAsync(LoginApi.Scheme); // the login cookie has done its job
        return SignIn(principals.ForUser(user, request.GetScopes()));
    }

    /// <summary>
    /// The expired-password answer. Its <c>error_uri</c> is under the issuer when one is configured (the public URL,
    /// e.g. the gateway), otherwise under the address this request came to.
    /// </summary>
    private static ForbidHttpResult? PasswordExpired(HttpContext http, Uri? publicBase, PlatformUser user, DateTimeOffset now)
    {
        if (user.PasswordExpiresAt is not { } expiresAt || expiresAt > now)
        {
            return null;
        }

        var changeUri = publicBase is not null
            ? new Uri(publicBase, ChangeExpiredPasswordPath.TrimStart('/')).ToString()
            : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{ChangeExpiredPasswordPath}";
        return Reject(Errors.InvalidGrant, "password_expired",
            $"The password expired on {expiresAt.ToString("u", CultureInfo.InvariantCulture)}. Choose a new one with "
            + $"POST {ChangeExpiredPasswordPath} (username, currentPassword, newPassword), then sign in again.",
            uri: changeUri,
            extra: new() { ["password_expired_at"] = expiresAt.ToString("O", CultureInfo.InvariantCulture) });
    }

    private static ForbidHttpResult AccountLocked(DateTimeOffset unlockAt) =>
        Reject(Errors.InvalidGrant, "account_locked",
            $"The account is locked after too many failed sign-ins; try again after {unlockAt.ToString("u", CultureInfo.InvariantCulture)}, "
            + "or reset the password.",
            extra: new() { ["unlock_at"] = unlockAt.ToString("O", CultureInfo.InvariantCulture) });

    private static SignInHttpResult SignIn(ClaimsPrincipal principal) =>
        TypedResults.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    internal static ForbidHttpResult Reject(string error, string code, string description, string? uri = null, Dictionary<string, string>? extra = null)
    {
        var properties = new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorUri] = uri,
        });
        properties.Parameters["code"] = code;
        foreach (var (key, value) in extra ?? [])
        {
            properties.Parameters[key] = value;
        }

        return TypedResults.Forbid(properties, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
