using Identity.Api.Data;
using Identity.Api.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Contracts.Identity;
using Platform.Messaging;
using Platform.ServiceDefaults;

namespace Identity.Api.Application;

/// <summary>
/// Sets passwords under the policy: checks the rules and the history, hashes (PBKDF2-HMAC-SHA512), records the history,
/// starts a new credential version with a new expiry and clears any lockout. The caller saves the changes, together
/// with whatever else the request changes.
/// </summary>
public sealed class PasswordService(
    IdentityDbContext db,
    IPasswordHasher<PlatformUser> hasher,
    PasswordPolicy policy,
    IOptions<CredentialOptions> options,
    TimeProvider time)
{
    public async Task<IReadOnlyList<PasswordProblem>> SetPasswordAsync(
        PlatformUser user, string? newPassword, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(newPassword))
        {
            return [new PasswordProblem("required", "A new password is required.")];
        }

        var problems = policy.Check(newPassword, user.UserName);
        if (problems.Count > 0)
        {
            return problems;
        }

        var historySize = options.Value.PasswordHistory;
        var history = await db.PasswordHistory
            .Where(entry => entry.UserId == user.Id)
            .OrderByDescending(entry => entry.CreatedAt).ThenByDescending(entry => entry.Id)
            .ToListAsync(cancellationToken);
        var recent = history.Take(historySize).Select(entry => entry.PasswordHash).ToList();
        if (user.PasswordHash is not null && historySize > 0 && !recent.Contains(user.PasswordHash))
        {
            recent.Insert(0, user.PasswordHash);
        }

        if (recent.Any(hash => hasher.VerifyHashedPassword(user, hash, newPassword) != PasswordVerificationResult.Failed))
        {
            return [PasswordPolicy.Reused(historySize)];
        }

        var now = time.GetUtcNow();
        var hashed = hasher.HashPassword(user, newPassword);
        user.PasswordHash = hashed;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.PasswordChangedAt = now;
        user.PasswordExpiresAt = now + options.Value.PasswordLifetime;
        user.CredentialVersion++;
        user.NextExpiryNoticeAt = ExpirySchedule.FirstNoticeAt(user.PasswordExpiresAt.Value);
        user.AccessFailedCount = 0;
        user.LockoutEnd = null;

        if (historySize > 0)
        {
            db.PasswordHistory.Add(new PasswordHistoryEntry { UserId = user.Id, PasswordHash = hashed, CreatedAt = now });
            db.PasswordHistory.RemoveRange(history.Skip(historySize - 1));
        }

        return [];
    }

    /// <summary>
    /// A person's own change (not seeding): sets the password as <see cref="SetPasswordAsync"/> does and, when it was
    /// accepted, adds <see cref="PasswordChanged"/> to the outbox, so it commits with the caller's SaveChanges.
    /// </summary>
    public async Task<IReadOnlyList<PasswordProblem>> ChangePasswordAsync(
        PlatformUser user, string? newPassword, string method, CancellationToken cancellationToken)
    {
        var problems = await SetPasswordAsync(user, newPassword, cancellationToken);
        if (problems.Count == 0)
        {
            db.AddOutboxMessage(new PasswordChanged(user.Id, user.Email ?? user.UserName ?? "", user.DisplayName, user.PracticeOds, user.PasswordChangedAt!.Value, method));
        }

        return problems;
    }

    public static IReadOnlyList<FieldError> AsFieldErrors(IEnumerable<PasswordProblem> problems, string field = "newPassword") =>
        [.. problems.Select(problem => new FieldError(field, problem.Code, problem.Message))];
}
