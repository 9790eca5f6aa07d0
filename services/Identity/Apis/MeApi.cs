using System.Net.Mail;
using Identity.Api.Application;
using Identity.Api.Data;
using Identity.Api.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults;

namespace Identity.Api.Apis;

/// <summary>The signed-in user's own profile, with the password expiry any client app can show as a banner.</summary>
public static class MeApi
{
    public sealed record Profile(
        Guid Id,
        string Email,
        string DisplayName,
        string Role,
        string? PracticeOds,
        string? Icb,
        DateTimeOffset? PasswordChangedAt,
        DateTimeOffset? PasswordExpiresAt,
        int? PasswordDaysLeft,
        bool PasswordExpiresSoon,
        string? PendingEmail = null); // asked for and not yet confirmed from its mailbox: the sign-in name is still Email

    /// <param name="CurrentPassword">
    /// Required when the email (the sign-in name) changes: a bearer token alone must not move the sign-in. A new email
    /// becomes the sign-in name only once the link sent to it is opened (<see cref="Profile.PendingEmail"/> until then).
    /// </param>
    public sealed record ContactChange(string? Email, string? DisplayName, string? CurrentPassword = null);

    private static readonly Profile ExampleProfile = new(Guid.Parse("6f1c2b9e-2d4a-4c1e-9b1a-3e2f5d6c7a80"), "manager@a81001.example",
        "Pat Manager", PlatformRoles.PracticeAdmin, "A81001", "QWE", new(2026, 6, 4, 8, 0, 0, TimeSpan.Zero), new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), 6, true);

    public static RouteGroupBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/identity/me").RequireAuthorization().WithTags("Me");
        group.MapGet("/", GetAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .WithExamples(response: ExampleProfile);
        group.MapPut("/contact", ChangeContactAsync).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status423Locked)
            .WithExamples(request: new ContactChange("manager@a81001.example", "Pat Manager", "the-current-password"), response: ExampleProfile);
        return group;
    }

    private static async Task<Results<Ok<Profile>, ProblemHttpResult>> GetAsync(
        Caller caller, IdentityDbContext db, AccountService accounts, TimeProvider time, CancellationToken cancellationToken)
    {
        var id = caller.UserGuid;
        var user = id is null ? null : await db.Users.AsNoTracking().SingleOrDefaultAsync(candidate => candidate.Id == id, cancellationToken);
        if (user is null || user.IsDisabled)
        {
            return Problems.NotFound("The user");
        }

        return TypedResults.Ok(ToProfile(user, time.GetUtcNow(), await accounts.PendingEmailAsync(user.Id, cancellationToken)));
    }

    private static async Task<Results<Ok<Profile>, ProblemHttpResult>> ChangeContactAsync(
        ContactChange change, Caller caller, IdentityDbContext db, AccountService accounts, SignInChecker signIn, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var id = caller.UserGuid;
        var user = id is null ? null : await db.Users.SingleOrDefaultAsync(candidate => candidate.Id == id, cancellationToken);
        if (user is null || user.IsDisabled)
        {
            return Problems.NotFound("The user");
        }

        // A PUT replaces the contact details: both are sent, so a body missing one (or naming neither) changes nothing.
        var email = change.Email?.Trim() ?? "";
        var displayName = change.DisplayName?.Trim() ?? "";
        var errors = new List<FieldError>();
        if (change.Email is null)
        {
            errors.Add(new("email", "required", "The email address is required."));
        }
        else if (!MailAddress.TryCreate(email, out _) || email.Length > 254)
        {
            errors.Add(new("email", "invalid_email", "Enter a valid email address."));
        }

        if (change.DisplayName is null)
        {
            errors.Add(new("displayName", "required", "The display name is required."));
        }
        else if (displayName.Length is 0 or > 200)
        {
            errors.Add(new("displayName", "invalid_display_name", "Enter a name of 1 to 200 characters."));
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var emailChanges = !string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase);
        if (emailChanges)
        {
            // The email is the sign-in name: moving it needs the password, not just a token that may have been stolen.
            if (string.IsNullOrEmpty(change.CurrentPassword))
            {
                return Problems.Validation([new("currentPassword", "required", "Enter your current password to change your email address.")]);
            }

            var check = await signIn.CheckAsync(user.UserName, change.CurrentPassword, cancellationToken);
            if (check is SignInCheck.Locked) return PasswordApi.Refused(check)!;

            if (check is not SignInCheck.Success)
            {
                return Problems.Validation([new("currentPassword", "incorrect_password", "The password is incorrect.")]);
            }
        }

        await accounts.ChangeContactAsync(user, email, displayName, cancellationToken);
        return TypedResults.Ok(ToProfile(user, time.GetUtcNow(), await accounts.PendingEmailAsync(user.Id, cancellationToken)));
    }

    internal static Profile ToProfile(PlatformUser user, DateTimeOffset now, string? pendingEmail)
    {
        int? daysLeft = user.PasswordExpiresAt is { } expiresAt ? ExpirySchedule.DaysLeft(expiresAt, now) : null;
        return new Profile(user.Id, user.Email!, user.DisplayName, user.Role, user.PracticeOds, user.Icb,
            user.PasswordChangedAt, user.PasswordExpiresAt, daysLeft, daysLeft <= ExpirySchedule.ThresholdDays[0], pendingEmail);
    }
}
