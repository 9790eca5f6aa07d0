using System.Net.Mail;
using System.Text.RegularExpressions;
using Identity.Api.Application;
using Identity.Api.Data;
using Identity.Api.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Platform.Contracts.Identity;
using Platform.ServiceDefaults;

namespace Identity.Api.Apis;

/// <summary>
/// Practices and what belongs to them: platform admins register practices; practice admins invite, list and disable
/// their users, create system clients and rotate their secrets, and see which credentials expire soon. Another
/// practice's resources answer 404.
/// </summary>
public static partial class PracticesApi
{
    public sealed record RegisterPractice(string? Ods, string? Name, string? Icb, int? ListSize);

    public sealed record PracticeView(string Ods, string Name, string Icb, int ListSize, DateTimeOffset RegisteredAt);

    public sealed record Invite(string? Email, string? DisplayName, string? Role);

    public sealed record Invited(Guid UserId, string Email, string Role, DateTimeOffset LinkExpiresAt);

    /// <param name="LockedUntil">When the lockout after too many failed sign-ins ends; null when the account is not locked now.</param>
    public sealed record UserView(
        Guid Id, string Email, string DisplayName, string Role, bool Disabled, bool PasswordSet, DateTimeOffset? PasswordExpiresAt, DateTimeOffset? LockedUntil);

    public sealed record CreateClient(string? DisplayName);

    public sealed record ClientView(string ClientId, string DisplayName, string PracticeOds, DateTimeOffset SecretExpiresAt, int SecretVersion, bool Disabled);

    /// <summary>The secret appears in this response only.</summary>
    public sealed record ClientSecret(string ClientId, string ClientSecretValue, DateTimeOffset SecretExpiresAt, int SecretVersion);

    public sealed record CredentialView(string Kind, Guid CredentialId, string Owner, string DisplayName, DateTimeOffset ExpiresAt, int DaysLeft, bool Expired, int Version);

    private const int MaxPageSize = 200;

    public static RouteGroupBuilder MapPracticesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/identity/practices").RequireAuthorization().WithTags("Practices");
        group.MapPost("/", RegisterAsync).RequireAuthorization(policy => policy.RequireRole(PlatformRoles.PlatformAdmin)).WithIdempotencyKey()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithExamples(request: new RegisterPractice("A81001", "Demo Surgery", "QWE", 9500),
                response: new PracticeView("A81001", "Demo Surgery", "QWE", 9500, new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero)));
        group.MapGet("/{ods}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{ods}/users", ListUsersAsync).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{ods}/users", InviteAsync).WithIdempotencyKey()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithExamples(request: new Invite("new.user@a81001.example", "Sam User", PlatformRoles.PracticeUser));
        group.MapPost("/{ods}/users/{userId:guid}/invitation", ReinviteAsync)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{ods}/users/{userId:guid}/disable", DisableAsync).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{ods}/users/{userId:guid}/sign-out", SignOutEverywhereAsync).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{ods}/clients", ListClientsAsync).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{ods}/clients", CreateClientAsync).WithIdempotencyKey(WithoutSecret).WithNoStore()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithExamples(request: new CreateClient("Clinical system extract"));
        group.MapPost("/{ods}/clients/{clientId}/secret", RotateSecretAsync).WithNoStore().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{ods}/credentials", ListCredentialsAsync).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Created<PracticeView>, ProblemHttpResult>> RegisterAsync(RegisterPractice body, AccountService accounts, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var ods = body.Ods?.Trim().ToUpperInvariant() ?? "";
        var icb = body.Icb?.Trim().ToUpperInvariant() ?? "";
        if (!OdsPattern().IsMatch(ods)) errors.Add(new("ods", "invalid_ods", "A GP practice's ODS code is a letter and five digits, e.g. A81001."));
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 200) errors.Add(new("name", "invalid_name", "Enter a name of 1 to 200 characters."));
        if (!IcbPattern().IsMatch(icb)) errors.Add(new("icb", "invalid_icb", "An ICB code is 3 to 5 letters and digits, e.g. QWE."));
        if (body.ListSize is not (>= 0 and <= 1_000_000)) errors.Add(new("listSize", "invalid_list_size", "The list size is a number of patients from 0 to 1,000,000."));
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var practice = await accounts.RegisterPracticeAsync(ods, body.Name!.Trim(), icb, body.ListSize!.Value, cancellationToken);
        return practice is null
            ? Problems.Create(StatusCodes.Status409Conflict, "practice_exists", $"Practice {ods} is already registered.")
            : TypedResults.Created($"/api/identity/practices/{ods}", ToView(practice));
    }

    private static async Task<Results<Ok<PracticeView>, ProblemHttpResult>> GetAsync(string ods, Caller caller, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var practice = await FindVisibleAsync(ods, caller, db, cancellationToken);
        return practice is null ? Problems.NotFound("The practice") : TypedResults.Ok(ToView(practice));
    }

    private static async Task<Results<Ok<PageOf<UserView>>, ProblemHttpResult>> ListUsersAsync(
        string ods, Caller caller, IdentityDbContext db, TimeProvider time, CancellationToken cancellationToken, int page = 1, int pageSize = 50)
    {
        if (await FindAdministeredAsync(ods, caller, db, cancellationToken) is not { } practice)
        {
            return Denied(ods, caller);
        }

        var now = time.GetUtcNow();
        var paging = Paging.Of(page, pageSize, MaxPageSize);
        var practiceUsers = db.Users.AsNoTracking().Where(user => user.PracticeOds == practice.Ods);
        var total = await practiceUsers.CountAsync(cancellationToken);
        var users = await practiceUsers
            .OrderBy(user => user.Email).ThenBy(user => user.Id)
            .Skip(paging.Skip).Take(paging.PageSize)
            .Select(user => new UserView(user.Id, user.Email!, user.DisplayName, user.Role, user.DisabledAt != null, user.PasswordHash != null,
                user.PasswordExpiresAt, user.LockoutEnd > now ? user.LockoutEnd : null))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageOf<UserView>(users, paging.Page, paging.PageSize, total));
    }

    private static async Task<Results<Created<Invited>, ProblemHttpResult>> InviteAsync(
        string ods, Invite body, Caller caller, IdentityDbContext db, AccountService accounts, CancellationToken cancellationToken)
    {
        if (await FindAdministeredAsync(ods, caller, db, cancellationToken) is not { } practice)
        {
            return Denied(ods, caller);
        }

        var errors = new List<FieldError>();
        var email = body.Email?.Trim() ?? "";
        var role = body.Role?.Trim() ?? PlatformRoles.PracticeUser;
        if (!MailAddress.TryCreate(email, out _) || email.Length > 254) errors.Add(new("email", "invalid_email", "Enter a valid email address."));
        if (string.IsNullOrWhiteSpace(body.DisplayName) || body.DisplayName.Trim().Length > 200) errors.Add(new("displayName", "invalid_display_name", "Enter a name of 1 to 200 characters."));
        if (!PlatformRoles.PracticeRoles.Contains(role)) errors.Add(new("role", "invalid_role", $"The role is one of: {string.Join(", ", PlatformRoles.PracticeRoles)}."));
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (await accounts.EmailTakenAsync(email, cancellationToken))
        {
            return Problems.Create(StatusCodes.Status409Conflict, "email_taken", "The email address already has an account.");
        }

        var (user, linkExpiresAt) = await accounts.InviteAsync(practice, email, body.DisplayName!, role, caller.UserGuid, cancellationToken);
        return TypedResults.Created($"/api/identity/practices/{practice.Ods}/users/{user.Id}", new Invited(user.Id, user.Email!, role, linkExpiresAt));
    }

    /// <summary>A new single-use set-password link for someone who has not used theirs (earlier links stop working).</summary>
    private static async Task<Results<Ok<Invited>, ProblemHttpResult>> ReinviteAsync(
        string ods, Guid userId, Caller caller, IdentityDbContext db, AccountService accounts, CancellationToken cancellationToken)
    {
        var (practice, user, refused) = await FindAdministeredUserAsync(ods, userId, caller, db, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (user.PasswordHash is not null || user.IsDisabled)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "invitation_not_pending",
                user.IsDisabled ? "The account is disabled." : "The user has already set a password; they can reset it if they have forgotten it.");
        }

        var linkExpiresAt = await accounts.ReinviteAsync(practice, user, caller.UserGuid, cancellationToken);
        return TypedResults.Ok(new Invited(user.Id, user.Email!, user.Role, linkExpiresAt));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DisableAsync(
        string ods, Guid userId, Caller caller, IdentityDbContext db, AccountService accounts,
        IOpenIddictTokenManager tokens, CancellationToken cancellationToken)
    {
        var (_, user, refused) = await FindAdministeredUserAsync(ods, userId, caller, db, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (user.Id == caller.UserGuid)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "cannot_disable_self", "You cannot disable your own account.");
        }

        if (!user.IsDisabled)
        {
            await accounts.DisableAsync(user, caller.UserGuid, cancellationToken);
            await tokens.RevokeBySubjectAsync(user.Id.ToString(), cancellationToken);
        }

        return TypedResults.NoContent();
    }

    /// <summary>Ends every session the user has (a lost laptop, a shared PC left signed in); their password still works.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> SignOutEverywhereAsync(
        string ods, Guid userId, Caller caller, IdentityDbContext db, AccountService accounts,
        IOpenIddictTokenManager tokens, CancellationToken cancellationToken)
    {
        var (_, user, refused) = await FindAdministeredUserAsync(ods, userId, caller, db, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        await accounts.EndSessionsAsync(user, cancellationToken);
        await tokens.RevokeBySubjectAsync(user.Id.ToString(), cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>One of the caller's practice's users, or the refusal to answer (403/404) when the caller does not administer it.</summary>
    private static async Task<(Practice Practice, PlatformUser User, ProblemHttpResult? Refused)> FindAdministeredUserAsync(
        string ods, Guid userId, Caller caller, IdentityDbContext db, CancellationToken cancellationToken)
    {
        if (await FindAdministeredAsync(ods, caller, db, cancellationToken) is not { } practice)
        {
            return (null!, null!, Denied(ods, caller));
        }

        var user = await db.Users.SingleOrDefaultAsync(candidate => candidate.Id == userId && candidate.PracticeOds == practice.Ods, cancellationToken);
        return user is null ? (practice, null!, Problems.NotFound("The user")) : (practice, user, null);
    }

    private static async Task<Results<Ok<PageOf<ClientView>>, ProblemHttpResult>> ListClientsAsync(string ods, Caller caller, IdentityDbContext db,
        CancellationToken cancellationToken, int page = 1, int pageSize = 50)
    {
        if (await FindAdministeredAsync(ods, caller, db, cancellationToken) is not { } practice)
        {
            return Denied(ods, caller);
        }

        var paging = Paging.Of(page, pageSize, MaxPageSize);
        var practiceClients = db.SystemClients.AsNoTracking().Where(client => client.PracticeOds == practice.Ods);
        var total = await practiceClients.CountAsync(cancellationToken);
        var clients = await practiceClients
            .OrderBy(client => client.ClientId)
            .Skip(paging.Skip).Take(paging.PageSize)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageOf<ClientView>([.. clients.Select(ToView)], paging.Page, paging.PageSize, total));
    }

    private static async Task<Results<Created<ClientSecret>, ProblemHttpResult>> CreateClientAsync(
        string ods, CreateClient body, Caller caller, IdentityDbContext db, AccountService accounts, CancellationToken cancellationToken)
    {
        if (await FindAdministeredAsync(ods, caller, db, cancellationToken) is not { } practice)
        {
            return Denied(ods, caller);
        }

        if (string.IsNullOrWhiteSpace(body.DisplayName) || body.DisplayName.Trim().Length > 200)
        {
            return Problems.Validation([new FieldError("displayName", "invalid_display_name", "Enter a name of 1 to 200 characters.")]);
        }

        var (client, secret) = await accounts.CreateSystemClientAsync(practice, body.DisplayName, caller.UserGuid, cancellationToken);
        return TypedResults.Created($"/api/identity/practices/{practice.Ods}/clients/{client.ClientId}",
            new ClientSecret(client.ClientId, secret, client.SecretExpiresAt, client.SecretVersion));
    }

    private static async Task<Results<Ok<ClientSecret>, ProblemHttpResult>> RotateSecretAsync(
        string ods, string clientId, Caller caller, IdentityDbContext db, AccountService accounts, CancellationToken cancellationToken)
    {
        if (await FindAdministeredAsync(ods, caller, db, cancellationToken) is not { } practice)
        {
            return Denied(ods, caller);
        }

        var client = await db.SystemClients.SingleOrDefaultAsync(candidate => candidate.ClientId == clientId && candidate.PracticeOds == practice.Ods, cancellationToken);
        var secret = client is null ? null : await accounts.RotateSecretAsync(client, cancellationToken);
        return client is null || secret is null
            ? Problems.NotFound("The client")
            : TypedResults.Ok(new ClientSecret(client.ClientId, secret, client.SecretExpiresAt, client.SecretVersion));
    }

    private static async Task<Results<Ok<PageOf<CredentialView>>, ProblemHttpResult>> ListCredentialsAsync(
        string ods, int? expiringWithinDays, Caller caller, IdentityDbContext db, TimeProvider time, CancellationToken cancellationToken,
        int page = 1, int pageSize = 50)
    {
        if (await FindAdministeredAsync(ods, caller, db, cancellationToken) is not { } practice)
        {
            return Denied(ods, caller);
        }

        var days = expiringWithinDays ?? 30;
        if (days is < 0 or > 3650)
        {
            return Problems.Validation([new FieldError("expiringWithinDays", "invalid_range", "Give a number of days from 0 to 3650.")]);
        }

        var now = time.GetUtcNow();
        var horizon = now.AddDays(days);
        var passwords = await db.Users.AsNoTracking()
            .Where(user => user.PracticeOds == practice.Ods && user.DisabledAt == null && user.PasswordExpiresAt != null && user.PasswordExpiresAt <= horizon)
            .Select(user => new { user.Id, user.Email, user.DisplayName, ExpiresAt = user.PasswordExpiresAt!.Value, user.CredentialVersion })
            .ToListAsync(cancellationToken);
        var secrets = await db.SystemClients.AsNoTracking()
            .Where(client => client.PracticeOds == practice.Ods && client.DisabledAt == null && client.SecretExpiresAt <= horizon)
            .ToListAsync(cancellationToken);

        var credentials = passwords
            .Select(user => new CredentialView(CredentialKinds.Password, user.Id, user.Email!, user.DisplayName, user.ExpiresAt,
                ExpirySchedule.DaysLeft(user.ExpiresAt, now), user.ExpiresAt <= now, user.CredentialVersion))
            .Concat(secrets.Select(client => new CredentialView(CredentialKinds.ClientSecret, client.Id, client.ClientId, client.DisplayName,
                client.SecretExpiresAt, ExpirySchedule.DaysLeft(client.SecretExpiresAt, now), client.SecretExpiresAt <= now, client.SecretVersion)))
            .OrderBy(credential => credential.ExpiresAt)
            .ToList();
        // Two tables merged by expiry: paged here (a practice has tens of credentials, not thousands).
        var paging = Paging.Of(page, pageSize, MaxPageSize);
        return TypedResults.Ok(new PageOf<CredentialView>([.. credentials.Skip(paging.Skip).Take(paging.PageSize)], paging.Page, paging.PageSize, credentials.Count));
    }

    private static async Task<Practice?> FindVisibleAsync(string ods, Caller caller, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var normalised = ods.Trim().ToUpperInvariant();
        return caller.CanSeePractice(normalised)
            ? await db.Practices.AsNoTracking().SingleOrDefaultAsync(practice => practice.Ods == normalised, cancellationToken)
            : null;
    }

    private static async Task<Practice?> FindAdministeredAsync(string ods, Caller caller, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var normalised = ods.Trim().ToUpperInvariant();
        return caller.AdministersPractice(normalised)
            ? await db.Practices.AsNoTracking().SingleOrDefaultAsync(practice => practice.Ods == normalised, cancellationToken)
            : null;
    }

    /// <summary>Someone else's practice (or none) is not found; your own practice without the admin role is forbidden.</summary>
    private static ProblemHttpResult Denied(string ods, Caller caller) =>
        caller.CanSeePractice(ods.Trim().ToUpperInvariant()) && !caller.IsPlatformAdmin
            ? Problems.Create(StatusCodes.Status403Forbidden, "forbidden", "Only the practice's admins may do this.")
            : Problems.NotFound("The practice");

    /// <summary>A replayed client creation does not show the secret again (it is never stored in clear): rotate it if it was lost.</summary>
    private static System.Text.Json.JsonElement WithoutSecret(System.Text.Json.JsonElement created)
    {
        var copy = System.Text.Json.Nodes.JsonNode.Parse(created.GetRawText())!.AsObject();
        copy["clientSecretValue"] = null;
        return System.Text.Json.JsonSerializer.SerializeToElement(copy);
    }

    private static PracticeView ToView(Practice practice) => new(practice.Ods, practice.Name, practice.Icb, practice.ListSize, practice.RegisteredAt);

    private static ClientView ToView(SystemClient client) =>
        new(client.ClientId, client.DisplayName, client.PracticeOds, client.SecretExpiresAt, client.SecretVersion, client.DisabledAt is not null);

    /// <summary>A GP practice's code, as Submissions validates it and Payments and Submissions store it (six characters).</summary>
    [GeneratedRegex("^[A-Z][0-9]{5}$")]
    private static partial Regex OdsPattern();

    [GeneratedRegex("^[A-Z0-9]{3,5}$")]
    private static partial Regex IcbPattern();
}
