using Identity.Api.Application;
using Identity.Api.Data;
using Identity.Api.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Contracts.Identity;
using Platform.ServiceDefaults;

namespace Identity.Api.Apis;

/// <summary>
/// Password changes without a helpdesk: an expired password replaced by its owner, an ordinary change, a reset by
/// email link (always 202, so nobody learns which addresses have accounts), and an invitation accepted.
/// </summary>
public static class PasswordApi
{
    public sealed record ChangeExpired(string? Username, string? CurrentPassword, string? NewPassword);

    public sealed record Change(string? CurrentPassword, string? NewPassword);

    public sealed record ResetRequest(string? Email);

    public sealed record Reset(string? Email, string? Token, string? NewPassword);

    public static RouteGroupBuilder MapPasswordApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/identity").WithTags("Passwords");
        group.MapPost("/password/change-expired", ChangeExpiredAsync).AllowAnonymous()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithExamples(request: new ChangeExpired("manager@a81001.example", "the-expired-password", "a-new-long-passphrase"));
        group.MapPost("/password/change", ChangeAsync).RequireAuthorization()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExamples(request: new Change("the-current-password", "a-new-long-passphrase"));
        // 202 whether or not the address has an account: the answer never says which.
        group.MapPost("/password/reset-requests", RequestResetAsync).AllowAnonymous()
            .WithExamples(request: new ResetRequest("manager@a81001.example"));
        group.MapPost("/password/resets", ResetAsync).AllowAnonymous()
            .WithExamples(request: new Reset("manager@a81001.example", "the-token-from-the-email", "a-new-long-passphrase"));
        group.MapPost("/invitations/accept", AcceptInvitationAsync).AllowAnonymous()
            .WithExamples(request: new Reset("new.user@a81001.example", "the-token-from-the-invitation", "a-new-long-passphrase"));
        return group;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangeExpiredAsync(
        ChangeExpired body, SignInChecker signIn, PasswordService passwords, IdentityDbContext db,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var missing = Missing(("username", body.Username), ("currentPassword", body.CurrentPassword), ("newPassword", body.NewPassword));
        if (missing.Count > 0)
        {
            return Problems.Validation(missing);
        }

        var check = await signIn.CheckAsync(body.Username, body.CurrentPassword, cancellationToken);
        if (Refused(check) is { } refused)
        {
            return refused;
        }

        var user = ((SignInCheck.Success)check).User;
        if (user.PasswordExpiresAt is not { } expiresAt || expiresAt > time.GetUtcNow())
        {
            return Problems.Create(StatusCodes.Status409Conflict, "password_not_expired",
                "The password has not expired; change it with POST /api/identity/password/change while signed in.");
        }

        return await SetAsync(user, body.NewPassword!, PasswordChangeMethods.ExpiredChange, passwords, db, cancellationToken);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangeAsync(
        Change body, Caller caller, SignInChecker signIn, PasswordService passwords, IdentityDbContext db,
        CancellationToken cancellationToken)
    {
        var missing = Missing(("currentPassword", body.CurrentPassword), ("newPassword", body.NewPassword));
        if (missing.Count > 0)
        {
            return Problems.Validation(missing);
        }

        var id = caller.UserGuid;
        var userName = id is null ? null : await db.Users.Where(user => user.Id == id).Select(user => user.UserName).SingleOrDefaultAsync(cancellationToken);
        if (userName is null)
        {
            return Problems.NotFound("The user");
        }

        var check = await signIn.CheckAsync(userName, body.CurrentPassword, cancellationToken);
        if (Refused(check) is { } refused)
        {
            return refused;
        }

        return await SetAsync(((SignInCheck.Success)check).User, body.NewPassword!, PasswordChangeMethods.Changed, passwords, db, cancellationToken);
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> RequestResetAsync(ResetRequest body, AccountService accounts, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Email) || body.Email.Length > 254)
        {
            return Problems.Validation([new FieldError("email", "required", "An email address is required.")]);
        }

        await accounts.RequestPasswordResetAsync(body.Email, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static Task<Results<NoContent, ProblemHttpResult>> ResetAsync(Reset body, AccountService accounts, CancellationToken cancellationToken) =>
        RedeemAsync(OneTimeTokenPurposes.PasswordReset, body, accounts, cancellationToken);

    private static Task<Results<NoContent, ProblemHttpResult>> AcceptInvitationAsync(Reset body, AccountService accounts, CancellationToken cancellationToken) =>
        RedeemAsync(OneTimeTokenPurposes.Invitation, body, accounts, cancellationToken);

    private static async Task<Results<NoContent, ProblemHttpResult>> RedeemAsync(
        string purpose, Reset body, AccountService accounts, CancellationToken cancellationToken)
    {
        var missing = Missing(("email", body.Email), ("token", body.Token), ("newPassword", body.NewPassword));
        if (missing.Count > 0)
        {
            return Problems.Validation(missing);
        }

        var problems = await accounts.RedeemAsync(purpose, body.Email!, body.Token!, body.NewPassword!, cancellationToken);
        if (problems is null)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "invalid_token",
                "The link is not valid: it may have been used already or have expired. Ask for a new one.");
        }

        return problems.Count > 0 ? Problems.Validation(PasswordService.AsFieldErrors(problems)) : TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetAsync(
        PlatformUser user, string newPassword, string method, PasswordService passwords, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var problems = await passwords.ChangePasswordAsync(user, newPassword, method, cancellationToken);
        if (problems.Count > 0)
        {
            return Problems.Validation(PasswordService.AsFieldErrors(problems));
        }

        await db.SaveChangesAsync(cancellationToken);
        // Sessions on the old password end: access tokens through the new security stamp (TokenRevocations), refresh
        // tokens through the credential version they carry, refused with credential_changed.
        return TypedResults.NoContent();
    }

    /// <summary>The problem a refused password check answers (locked, disabled, wrong), or null when it succeeded.</summary>
    internal static ProblemHttpResult? Refused(SignInCheck check) => check switch
    {
        SignInCheck.Locked locked => Problems.Create(StatusCodes.Status423Locked, "account_locked",
            "The account is locked after too many failed sign-ins.", $"Try again after {locked.UnlockAt:u}, or reset the password.",
            new Dictionary<string, object?> { ["unlockAt"] = locked.UnlockAt }),
        SignInCheck.Disabled => Problems.Create(StatusCodes.Status403Forbidden, "account_disabled", "The account is disabled."),
        SignInCheck.InvalidCredentials => Problems.Create(StatusCodes.Status401Unauthorized, "invalid_credentials", "The username or password is incorrect."),
        _ => null,
    };

    private static List<FieldError> Missing(params (string Field, string? Value)[] fields) =>
        [.. fields.Where(field => string.IsNullOrEmpty(field.Value)).Select(field => new FieldError(field.Field, "required", $"{field.Field} is required."))];
}
