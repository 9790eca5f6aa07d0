using Identity.Api.Data;
using Identity.Api.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenIddict.Abstractions;
using Platform.Contracts.Identity;
using Platform.Messaging;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Api.Application;

/// <summary>
/// Practices, users and system clients, each change saved with its event in the outbox (one transaction).
/// Validation of the request's shape is the API's job; this class enforces what needs the database.
/// </summary>
public sealed class AccountService(
    IdentityDbContext db,
    PasswordService passwords,
    IOpenIddictApplicationManager applications,
    IOptions<CredentialOptions> credentialOptions,
    IOptions<EmailLinkOptions> links,
    TimeProvider time)
{
    /// <summary>Per account and kind of link, so nobody can flood a mailbox with them.</summary>
    public const int MaxResetLinksPerHour = 3;

    public async Task<Practice?> RegisterPracticeAsync(string ods, string name, string icb, int listSize, CancellationToken cancellationToken)
    {
        if (await db.Practices.AnyAsync(practice => practice.Ods == ods, cancellationToken))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var practice = new Practice { Ods = ods, Name = name, Icb = icb, ListSize = listSize, RegisteredAt = now };
        db.Practices.Add(practice);
        db.AddOutboxMessage(new PracticeRegistered(ods, name, icb, listSize, now));
        await db.SaveChangesAsync(cancellationToken);
        return practice;
    }

    /// <summary>Creates an account (no password yet: see <see cref="InviteAsync"/>, or set one before saving).</summary>
    public PlatformUser NewUser(string email, string displayName, string role, string? practiceOds, string? icb)
    {
        var now = time.GetUtcNow();
        var normalisedEmail = email.Trim();
        var user = new PlatformUser
        {
            Id = Guid.CreateVersion7(now),
            UserName = normalisedEmail,
            NormalizedUserName = normalisedEmail.ToUpperInvariant(),
            Email = normalisedEmail,
            NormalizedEmail = normalisedEmail.ToUpperInvariant(),
            EmailConfirmed = false,
            DisplayName = displayName.Trim(),
            Role = role,
            PracticeOds = practiceOds,
            Icb = icb,
            CreatedAt = now,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString("N"),
            LockoutEnabled = true,
        };
        db.Users.Add(user);
        db.AddOutboxMessage(new UserRegistered(user.Id, user.Email, user.DisplayName, [role], practiceOds, icb, now));
        return user;
    }

    public Task<bool> EmailTakenAsync(string email, CancellationToken cancellationToken)
    {
        var normalised = email.Trim().ToUpperInvariant();
        return db.Users.AnyAsync(user => user.NormalizedEmail == normalised, cancellationToken);
    }

    public async Task<(PlatformUser User, DateTimeOffset LinkExpiresAt)> InviteAsync(
        Practice practice, string email, string displayName, string role, Guid? invitedBy, CancellationToken cancellationToken)
    {
        var user = NewUser(email, displayName, role, practice.Ods, practice.Icb);
        var (token, entity) = IssueToken(user.Id, OneTimeTokenPurposes.Invitation, credentialOptions.Value.InvitationLinkLifetime);
        db.AddOutboxMessage(new UserInvited(
            user.Id, user.Email!, user.DisplayName, practice.Ods, role, links.Value.SetPasswordLink(user.Email!, token), entity.ExpiresAt, invitedBy));
        await db.SaveChangesAsync(cancellationToken);
        return (user, entity.ExpiresAt);
    }

    /// <summary>
    /// A fresh invitation link for an account whose password is not set yet: the links sent before stop working, and
    /// <see cref="UserInvited"/> is published again. Returns when the new link expires.
    /// </summary>
    public async Task<DateTimeOffset> ReinviteAsync(Practice practice, PlatformUser user, Guid? invitedBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var open = await db.OneTimeTokens
            .Where(token => token.UserId == user.Id && token.Purpose == OneTimeTokenPurposes.Invitation && token.UsedAt == null)
            .ToListAsync(cancellationToken);
        foreach (var old in open)
        {
            old.UsedAt = now;
        }

        var (token, entity) = IssueToken(user.Id, OneTimeTokenPurposes.Invitation, credentialOptions.Value.InvitationLinkLifetime);
        db.AddOutboxMessage(new UserInvited(
            user.Id, user.Email!, user.DisplayName, practice.Ods, user.Role, links.Value.SetPasswordLink(user.Email!, token), entity.ExpiresAt, invitedBy));
        await db.SaveChangesAsync(cancellationToken);
        return entity.ExpiresAt;
    }

    /// <summary>For a real, enabled account: a single-use reset link valid for <see cref="CredentialOptions.ResetLinkLifetime"/>.</summary>
    public async Task RequestPasswordResetAsync(string email, CancellationToken cancellationToken)
    {
        var normalised = email.Trim().ToUpperInvariant();
        var user = await db.Users.SingleOrDefaultAsync(candidate => candidate.NormalizedEmail == normalised, cancellationToken);
        if (user is null || user.IsDisabled)
        {
            return;
        }

        // At most a few links an hour per account, so nobody can flood someone's mailbox (the answer is 202 either way).
        if (await LinksInLastHourAsync(user.Id, OneTimeTokenPurposes.PasswordReset, cancellationToken) >= MaxResetLinksPerHour)
        {
            return;
        }

        var (token, entity) = IssueToken(user.Id, OneTimeTokenPurposes.PasswordReset, credentialOptions.Value.ResetLinkLifetime);
        db.AddOutboxMessage(new PasswordResetRequested(
            user.Id, user.Email!, user.DisplayName, links.Value.ResetLink(user.Email!, token), entity.ExpiresAt));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Uses a one-time token to set a password. Returns null when the token is unknown, used, expired or for another
    /// account; otherwise the password problems (empty on success, and the token is spent).
    /// </summary>
    public async Task<IReadOnlyList<PasswordProblem>?> RedeemAsync(
        string purpose, string email, string token, string newPassword, CancellationToken cancellationToken)
    {
        var (entity, user) = await OpenTokenAsync(purpose, token, cancellationToken);
        if (entity is null || user is null || !string.Equals(user.NormalizedEmail, email.Trim().ToUpperInvariant(), StringComparison.Ordinal))
        {
            return null;
        }

        var method = purpose == OneTimeTokenPurposes.Invitation ? PasswordChangeMethods.Invitation : PasswordChangeMethods.Reset;
        var problems = await passwords.ChangePasswordAsync(user, newPassword, method, cancellationToken);
        if (problems.Count > 0)
        {
            return problems;
        }

        var now = time.GetUtcNow();
        entity.UsedAt = now;
        user.EmailConfirmed = true; // the link reached the mailbox
        await db.SaveChangesAsync(cancellationToken);

        // Only one token of a kind is meant to work at a time: spend any others still open.
        await db.OneTimeTokens
            .Where(other => other.UserId == user.Id && other.Purpose == purpose && other.UsedAt == null)
            .ExecuteUpdateAsync(update => update.SetProperty(other => other.UsedAt, now), cancellationToken);
        return problems;
    }

    public async Task DisableAsync(PlatformUser user, Guid? disabledBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        user.DisabledAt = now;
        user.NextExpiryNoticeAt = null;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        db.AddOutboxMessage(new UserDisabled(user.Id, user.Email!, user.PracticeOds, disabledBy, now));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A new security stamp: every access token issued before is refused everywhere (EndSessionsOnNewSecurityStamp).</summary>
    public async Task EndSessionsAsync(PlatformUser user, CancellationToken cancellationToken)
    {
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The name (and the email's letter case) change at once. A different email is only requested: a link goes to it,
    /// and it becomes the sign-in name when that link is opened (<see cref="ConfirmEmailChangeAsync"/>). The request is
    /// treated the same whether or not the address already has an account, so the answer does not tell.
    /// </summary>
    public async Task ChangeContactAsync(PlatformUser user, string email, string displayName, CancellationToken cancellationToken)
    {
        email = email.Trim();
        displayName = displayName.Trim();
        var sameAddress = string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase);
        if (displayName != user.DisplayName || (sameAddress && email != user.Email))
        {
            user.DisplayName = displayName;
            if (sameAddress) SetEmail(user, email);
            db.AddOutboxMessage(new UserContactChanged(user.Id, user.Email!, user.DisplayName, time.GetUtcNow()));
        }

        if (!sameAddress && await LinksInLastHourAsync(user.Id, OneTimeTokenPurposes.EmailConfirmation, cancellationToken) < MaxResetLinksPerHour)
        {
            await SpendOpenTokensAsync(user.Id, [OneTimeTokenPurposes.EmailConfirmation], cancellationToken);
            var (token, entity) = IssueToken(user.Id, OneTimeTokenPurposes.EmailConfirmation, credentialOptions.Value.EmailConfirmationLinkLifetime, email);
            db.AddOutboxMessage(new EmailChangeRequested(user.Id, email, user.DisplayName, links.Value.ConfirmEmailLink(token), entity.ExpiresAt));
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The address a person asked to move to and has not confirmed yet, if any.</summary>
    public Task<string?> PendingEmailAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.OneTimeTokens.AsNoTracking()
            .Where(token => token.UserId == userId && token.Purpose == OneTimeTokenPurposes.EmailConfirmation && token.UsedAt == null && token.ExpiresAt > now)
            .OrderByDescending(token => token.CreatedAt).Select(token => token.Payload).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The link sent to a new address was opened: it becomes the sign-in name, and the address it replaces is told, with
    /// a link that puts it back (<see cref="UndoEmailChangeAsync"/>).
    /// </summary>
    public async Task<EmailChangeOutcome> ConfirmEmailChangeAsync(string token, CancellationToken cancellationToken)
    {
        var (entity, user) = await OpenTokenAsync(OneTimeTokenPurposes.EmailConfirmation, token, cancellationToken);
        if (entity?.Payload is not { } newEmail || user is null) return EmailChangeOutcome.InvalidLink;
        if (await EmailTakenAsync(newEmail, cancellationToken)) return EmailChangeOutcome.AddressTaken;

        var now = time.GetUtcNow();
        var previous = user.Email!;
        SetEmail(user, newEmail);
        user.EmailConfirmed = true;
        entity.UsedAt = now;
        var (undo, undoEntity) = IssueToken(user.Id, OneTimeTokenPurposes.EmailChangeUndo, credentialOptions.Value.EmailChangeUndoLinkLifetime, previous);
        db.AddOutboxMessage(new UserContactChanged(
            user.Id, user.Email!, user.DisplayName, now, previous, links.Value.UndoEmailChangeLink(undo), undoEntity.ExpiresAt));
        return await SaveUnlessAddressTakenAsync(cancellationToken);
    }

    /// <summary>
    /// The person at the old address says the change was not theirs. Whoever made it knew the password, so putting the
    /// address back is not enough: every session ends, the password is cleared, and a reset link goes to the old address.
    /// </summary>
    public async Task<EmailChangeOutcome> UndoEmailChangeAsync(string token, CancellationToken cancellationToken)
    {
        var (entity, user) = await OpenTokenAsync(OneTimeTokenPurposes.EmailChangeUndo, token, cancellationToken);
        if (entity?.Payload is not { } previous || user is null) return EmailChangeOutcome.InvalidLink;
        if (!string.Equals(previous, user.Email, StringComparison.OrdinalIgnoreCase) && await EmailTakenAsync(previous, cancellationToken))
        {
            return EmailChangeOutcome.AddressTaken;
        }

        var now = time.GetUtcNow();
        await SpendOpenTokensAsync(user.Id, [OneTimeTokenPurposes.EmailConfirmation, OneTimeTokenPurposes.EmailChangeUndo, OneTimeTokenPurposes.PasswordReset], cancellationToken);
        entity.UsedAt = now;
        SetEmail(user, previous);
        user.PasswordHash = null;
        user.SecurityStamp = Guid.NewGuid().ToString("N"); // ends every session (EndSessionsOnNewSecurityStamp)
        user.CredentialVersion++; // and every refresh token
        user.NextExpiryNoticeAt = null;
        db.AddOutboxMessage(new UserContactChanged(user.Id, user.Email!, user.DisplayName, now));
        var (reset, resetEntity) = IssueToken(user.Id, OneTimeTokenPurposes.PasswordReset, credentialOptions.Value.ResetLinkLifetime);
        db.AddOutboxMessage(new PasswordResetRequested(user.Id, user.Email!, user.DisplayName, links.Value.ResetLink(user.Email!, reset), resetEntity.ExpiresAt));
        return await SaveUnlessAddressTakenAsync(cancellationToken);
    }

    /// <summary>Creates a system client for a practice; the secret is returned once and stored only hashed.</summary>
    public async Task<(SystemClient Client, string Secret)> CreateSystemClientAsync(
        Practice practice, string displayName, Guid? createdBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var secret = OneTimeSecret.Create();
        var client = new SystemClient
        {
            Id = Guid.CreateVersion7(now),
            ClientId = $"{practice.Ods.ToLowerInvariant()}-{OneTimeSecret.Create()[..10].ToLowerInvariant()}",
            DisplayName = displayName.Trim(),
            PracticeOds = practice.Ods,
            CreatedAt = now,
            CreatedBy = createdBy,
        };
        StartSecretVersion(client, now);
        db.SystemClients.Add(client);

        // OpenIddict's store saves through the same DbContext: the client row and the application commit together.
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = client.DisplayName,
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.ClientCredentials,
                Permissions.Prefixes.Scope + "platform-api",
            },
        }, cancellationToken);
        return (client, secret);
    }

    public async Task<string?> RotateSecretAsync(SystemClient client, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(client.ClientId, cancellationToken);
        if (application is null)
        {
            return null;
        }

        var secret = OneTimeSecret.Create();
        StartSecretVersion(client, time.GetUtcNow());
        await applications.UpdateAsync(application, secret, cancellationToken);
        return secret;
    }

    private void StartSecretVersion(SystemClient client, DateTimeOffset now)
    {
        client.SecretVersion++;
        client.SecretCreatedAt = now;
        client.SecretExpiresAt = now + credentialOptions.Value.ClientSecretLifetime;
        client.NextExpiryNoticeAt = ExpirySchedule.FirstNoticeAt(client.SecretExpiresAt);
    }

    private static void SetEmail(PlatformUser user, string email)
    {
        user.Email = email;
        user.NormalizedEmail = email.ToUpperInvariant();
        user.UserName = email;
        user.NormalizedUserName = user.NormalizedEmail;
    }

    /// <summary>Two accounts confirming the same address at once: the unique sign-in name lets one through.</summary>
    private async Task<EmailChangeOutcome> SaveUnlessAddressTakenAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return EmailChangeOutcome.Done;
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return EmailChangeOutcome.AddressTaken;
        }
    }

    private async Task<(OneTimeToken? Token, PlatformUser? User)> OpenTokenAsync(string purpose, string token, CancellationToken cancellationToken)
    {
        var hash = OneTimeSecret.Hash(token);
        var entity = await db.OneTimeTokens.SingleOrDefaultAsync(candidate => candidate.TokenHash == hash && candidate.Purpose == purpose, cancellationToken);
        if (entity is null || entity.UsedAt is not null || entity.ExpiresAt <= time.GetUtcNow())
        {
            return (null, null);
        }

        var user = await db.Users.SingleOrDefaultAsync(candidate => candidate.Id == entity.UserId, cancellationToken);
        return user is null || user.IsDisabled ? (null, null) : (entity, user);
    }

    private Task<int> LinksInLastHourAsync(Guid userId, string purpose, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().AddHours(-1);
        return db.OneTimeTokens.CountAsync(token => token.UserId == userId && token.Purpose == purpose && token.CreatedAt > since, cancellationToken);
    }

    private async Task SpendOpenTokensAsync(Guid userId, string[] purposes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var open = await db.OneTimeTokens.Where(token => token.UserId == userId && purposes.Contains(token.Purpose) && token.UsedAt == null).ToListAsync(cancellationToken);
        foreach (var token in open) token.UsedAt = now;
    }

    private (string Token, OneTimeToken Entity) IssueToken(Guid userId, string purpose, TimeSpan lifetime, string? payload = null)
    {
        var now = time.GetUtcNow();
        var token = OneTimeSecret.Create();
        var entity = new OneTimeToken
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            Purpose = purpose,
            TokenHash = OneTimeSecret.Hash(token),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            Payload = payload,
        };
        db.OneTimeTokens.Add(entity);
        return (token, entity);
    }
}
