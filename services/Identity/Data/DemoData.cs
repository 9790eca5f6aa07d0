using Identity.Api.Application;
using Identity.Api.Domain;
using Platform.ServiceDefaults;

namespace Identity.Api.Data;

/// <summary>
/// The local demo's practices and accounts (only when <c>Platform:DemoData</c> is true). Every account has the
/// password <see cref="Password"/>; <c>expiring@a81001.demo</c>'s expires in 6 days, so the first scan warns it, and
/// <c>expired@a81001.demo</c>'s expired yesterday, so signing in shows the "your password has expired" form.
/// </summary>
public sealed class DemoData(IdentityDbContext db, AccountService accounts, PasswordService passwords, TimeProvider time, ILogger<DemoData> logger)
{
    public const string ConfigurationKey = "Platform:DemoData";
    public const string Password = "Demo-Password-2026!";

    private static readonly (string Ods, string Name, string Icb, int ListSize)[] Practices =
    [
        ("A81001", "Demo Surgery", "QWE", 9_800),
        ("B82002", "Second Surgery", "QWE", 6_400),
    ];

    private static readonly (string Email, string Name, string Role, string? Ods, string? Icb)[] Users =
    [
        ("admin@platform.demo", "Platform Admin", PlatformRoles.PlatformAdmin, null, null),
        ("manager@a81001.demo", "Practice Manager", PlatformRoles.PracticeAdmin, "A81001", "QWE"),
        ("user@a81001.demo", "Demo Surgery User", PlatformRoles.PracticeUser, "A81001", "QWE"),
        ("user@b82002.demo", "Second Surgery User", PlatformRoles.PracticeUser, "B82002", "QWE"),
        ("commissioner@qwe.demo", "QWE Commissioner", PlatformRoles.Commissioner, null, "QWE"),
        ("expiring@a81001.demo", "Expiring Password User", PlatformRoles.PracticeUser, "A81001", "QWE"),
        ("expired@a81001.demo", "Expired Password User", PlatformRoles.PracticeUser, "A81001", "QWE"),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var (ods, name, icb, listSize) in Practices)
        {
            await accounts.RegisterPracticeAsync(ods, name, icb, listSize, cancellationToken);
        }

        foreach (var (email, name, role, ods, icb) in Users)
        {
            if (await accounts.EmailTakenAsync(email, cancellationToken))
            {
                continue;
            }

            var user = accounts.NewUser(email, name, role, ods, icb);
            user.EmailConfirmed = true;
            var problems = await passwords.SetPasswordAsync(user, Password, cancellationToken);
            if (problems.Count > 0)
            {
                throw new InvalidOperationException($"The demo password breaks the policy: {string.Join(", ", problems.Select(problem => problem.Code))}");
            }

            if (email.StartsWith("expiring@", StringComparison.Ordinal))
            {
                user.PasswordExpiresAt = time.GetUtcNow().AddDays(6);
                user.NextExpiryNoticeAt = ExpirySchedule.FirstNoticeAt(user.PasswordExpiresAt.Value);
            }
            else if (email.StartsWith("expired@", StringComparison.Ordinal))
            {
                user.PasswordExpiresAt = time.GetUtcNow().AddDays(-1);
                user.NextExpiryNoticeAt = ExpirySchedule.FirstNoticeAt(user.PasswordExpiresAt.Value);
            }

            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Demo account {Email} ({Role}) created", Redact.Email(email), role);
        }
    }
}
