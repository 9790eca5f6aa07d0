using Identity.Api.Data;
using Identity.Api.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Contracts.Identity;
using Platform.Messaging;
using Platform.ServiceDefaults;

namespace Identity.Api.Application;

/// <summary>The outcome of checking a username and password.</summary>
public abstract record SignInCheck
{
    public sealed record Success(PlatformUser User) : SignInCheck;

    public sealed record InvalidCredentials : SignInCheck;

    public sealed record Locked(DateTimeOffset UnlockAt) : SignInCheck;

    public sealed record Disabled : SignInCheck;
}

/// <summary>
/// Checks a password with lockout: <see cref="CredentialOptions.MaxFailedSignIns"/> failures in a row lock the
/// account for <see cref="CredentialOptions.LockoutDuration"/>, counted by one atomic UPDATE so parallel guesses
/// cannot slip past the limit. Unknown users cost the same hash verification as known ones, and lock the same way
/// (<see cref="UnknownAccountLockout"/>).
/// </summary>
public sealed class SignInChecker(
    IdentityDbContext db,
    UserManager<PlatformUser> users,
    IPasswordHasher<PlatformUser> hasher,
    IOptions<CredentialOptions> options,
    PasswordVerifications verifications,
    UnknownAccountLockout unknownAccounts,
    TimeProvider time)
{
    private static readonly PlatformUser TimingUser = new() { UserName = "timing" };
    private static string? timingHash;

    public async Task<SignInCheck> CheckAsync(string? userName, string? password, CancellationToken cancellationToken)
    {
        var user = string.IsNullOrWhiteSpace(userName) ? null : await users.FindByNameAsync(userName.Trim());
        if (user is null || user.PasswordHash is null || string.IsNullOrEmpty(password))
        {
            VerifyStandIn(password);
            // A name with no account locks as an account would, so a lockout does not reveal which names are real.
            return user is null && !string.IsNullOrWhiteSpace(userName) && await unknownAccounts.FailedAsync(userName, cancellationToken) is { } until
                ? new SignInCheck.Locked(until)
                : new SignInCheck.InvalidCredentials();
        }

        var now = time.GetUtcNow();
        if (Lockout.IsLocked(user.LockoutEnd, now))
        {
            VerifyStandIn(password); // the same work as any other check, so a locked account does not answer faster
            return new SignInCheck.Locked(user.LockoutEnd!.Value);
        }

        var verified = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        verifications.Verified();
        if (verified == PasswordVerificationResult.Failed)
        {
            var lockedUntil = await RecordFailureAsync(user, now, cancellationToken);
            return lockedUntil is { } until ? new SignInCheck.Locked(until) : new SignInCheck.InvalidCredentials();
        }

        if (user.IsDisabled)
        {
            return new SignInCheck.Disabled();
        }

        if (user.AccessFailedCount != 0 || user.LockoutEnd is not null || verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.AccessFailedCount = 0;
            user.LockoutEnd = null;
            if (verified == PasswordVerificationResult.SuccessRehashNeeded)
            {
                user.PasswordHash = hasher.HashPassword(user, password);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return new SignInCheck.Success(user);
    }

    /// <summary>A hash verification whose result is not used: the cost of a check when there is no real hash to check.</summary>
    private void VerifyStandIn(string? password)
    {
        timingHash ??= hasher.HashPassword(TimingUser, "not-a-real-password-just-for-timing");
        hasher.VerifyHashedPassword(TimingUser, timingHash, password ?? "");
        verifications.Verified();
    }

    /// <summary>
    /// Counts one failure; returns the lockout end when the account is locked now. The failure that locks it saves
    /// <see cref="UserLockedOut"/> to the outbox in the same transaction, so each lockout is told once.
    /// </summary>
    private Task<DateTimeOffset?> RecordFailureAsync(PlatformUser user, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var failure = await CountFailureAsync(user.Id, now, cancellationToken);
            if (failure is { NewlyLocked: true, LockoutEnd: { } until })
            {
                var admins = user.PracticeOds is null ? [] : await db.Users.AsNoTracking()
                    .Where(admin => admin.PracticeOds == user.PracticeOds && admin.Role == PlatformRoles.PracticeAdmin && admin.DisabledAt == null && admin.Email != null)
                    .OrderBy(admin => admin.Email)
                    .Select(admin => admin.Email!)
                    .ToListAsync(cancellationToken);
                db.AddOutboxMessage(new UserLockedOut(user.Id, user.Email ?? user.UserName ?? "", user.DisplayName, user.PracticeOds, until, admins));
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return failure?.LockoutEnd > now ? failure.LockoutEnd : null;
        });

    private async Task<FailureCount?> CountFailureAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxFailedSignIns;
        var until = now + options.Value.LockoutDuration;

        // A lockout that has run out starts a fresh count; an account locked meanwhile by a parallel attempt stays locked
        // (and only the attempt that locked it says so).
        var result = await db.Database.SqlQuery<FailureCount>($"""
            WITH next AS (
                SELECT id,
                       lockout_end,
                       CASE WHEN lockout_end IS NOT NULL AND lockout_end <= {now} THEN 1
                            ELSE access_failed_count + 1 END AS failures
                FROM users WHERE id = {userId} FOR UPDATE)
            UPDATE users AS u SET
                access_failed_count = CASE WHEN next.lockout_end > {now} THEN u.access_failed_count
                                           WHEN next.failures >= {max} THEN 0 ELSE next.failures END,
                lockout_end = CASE WHEN next.lockout_end > {now} THEN next.lockout_end
                                   WHEN next.failures >= {max} THEN {until} ELSE NULL END
            FROM next WHERE u.id = next.id
            RETURNING u.lockout_end AS lockout_end, -- snake_case, as the naming convention maps FailureCount
                      (next.lockout_end IS NULL OR next.lockout_end <= {now}) AND next.failures >= {max} AS newly_locked
            """).ToListAsync(cancellationToken);
        return result.FirstOrDefault();
    }

    private sealed class FailureCount
    {
        public DateTimeOffset? LockoutEnd { get; init; }

        public bool NewlyLocked { get; init; }
    }
}
