using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Npgsql;
using Platform.Resilience.Running;
using Platform.Testing;

namespace Platform.Resilience.Tenancy;

/// <summary>A test practice: its admin (who gets its remittance advice and receipts) and its system client (which submits).</summary>
public sealed record TenantPractice(string Ods, string Name, string Icb, string AdminEmail, Guid AdminUserId, ApiClient System, string SystemSecret = "");

/// <summary>A practice user with a real password (set through the invitation link), whose expiry a case brings forward.</summary>
public sealed record WarnedUser(Guid Id, string Email, string DisplayName, string Password, TenantPractice Practice);

/// <summary>
/// Everything the tests need that the demo data does not have, created once per run through the platform's own APIs:
/// practices in two ICBs (the demo commissioner's and one without a commissioner), each with an invited admin and a
/// system client; practice users who accepted their invitation; and the open slots of the catalogue.
/// </summary>
public sealed partial class Tenants
{
    /// <summary>The demo commissioner's ICB: its practices' QOF payments can be approved.</summary>
    public const string ApprovingIcb = "QWE";

    /// <summary>An ICB without a commissioner, for cross-ICB checks.</summary>
    public const string OtherIcb = "RS9";

    public const string DemoPassword = "Demo-Password-2026!";

    private const int PracticeCount = 16;
    private const int OtherIcbPractices = 3;
    private const int WarnedUserCount = 44;

    private readonly ConcurrentQueue<WarnedUser> warnedUsers;

    private Tenants(ApiClient admin, ApiClient commissioner, IReadOnlyList<TenantPractice> practices, SlotPool slots, IEnumerable<WarnedUser> warned)
    {
        Admin = admin;
        Commissioner = commissioner;
        Practices = practices;
        Slots = slots;
        warnedUsers = new(warned);
    }

    public ApiClient Admin { get; }

    /// <summary>commissioner@qwe.demo, commissioner of <see cref="ApprovingIcb"/>.</summary>
    public ApiClient Commissioner { get; }

    public IReadOnlyList<TenantPractice> Practices { get; }

    public SlotPool Slots { get; }

    public WarnedUser TakeWarnedUser() =>
        warnedUsers.TryDequeue(out var user) ? user : throw new InvalidOperationException("No warned user is left.");

    public static async Task<Tenants> CreateAsync(ResiliencePlatform platform, CancellationToken cancellationToken)
    {
        var gateway = platform.Gateway;
        var admin = ApiClient.ForUser(gateway, Addresses.Next(), "admin@platform.demo", DemoPassword);
        var commissioner = ApiClient.ForUser(gateway, Addresses.Next(), "commissioner@qwe.demo", DemoPassword);

        var practices = await Task.WhenAll(Enumerable.Range(1, PracticeCount).Select(n =>
            RegisterPracticeAsync(gateway, admin, $"Y9{n:0000}", n <= PracticeCount - OtherIcbPractices ? ApprovingIcb : OtherIcb, cancellationToken)));

        using var mailbox = platform.Mailbox();
        var invited = await Task.WhenAll(Enumerable.Range(1, WarnedUserCount).Select(n =>
            InviteAsync(admin, practices[n % practices.Length], $"warned{n:00}@{practices[n % practices.Length].Ods.ToLowerInvariant()}.test",
                $"Warned User {n:00}", "practice-user", cancellationToken)));
        var invitations = await InvitationsAsync(mailbox, invited, cancellationToken);
        var warned = new List<WarnedUser>();
        foreach (var chunk in invited.Chunk(8))
        {
            warned.AddRange(await Task.WhenAll(chunk.Select(user => AcceptInvitationAsync(gateway, mailbox, user, invitations[user.Email], cancellationToken))));
        }

        await WaitForEventsAsync(platform, practices, [.. warned.Select(user => user.Id), .. practices.Select(p => p.AdminUserId)], cancellationToken);

        var catalogue = await practices[0].System.GetOkAsync<CatalogueView>("/api/submissions/catalogue", cancellationToken);
        return new Tenants(admin, commissioner, practices, SlotPool.From(catalogue, practices), warned);

    }

    /// <summary>A new person at the practice, invited by the platform admin, who has accepted the invitation and set a password.</summary>
    public async Task<WarnedUser> AddPersonAsync(ResiliencePlatform platform, TenantPractice practice, string role, CancellationToken cancellationToken)
    {
        var email = $"{role}.{Guid.NewGuid():N}@{practice.Ods.ToLowerInvariant()}.test";
        var invited = await InviteAsync(Admin, practice, email, $"New {role}", role, cancellationToken);
        using var mailbox = platform.Mailbox();
        var message = await mailbox.WaitForAsync(m => m.To.Any(to => to.Contains(email, StringComparison.OrdinalIgnoreCase)), TimeSpan.FromMinutes(2),
            cancellationToken);
        return await AcceptInvitationAsync(platform.Gateway, mailbox, invited, message.Id, cancellationToken);
    }

    private static async Task<TenantPractice> RegisterPracticeAsync(HttpClient gateway, ApiClient admin, string ods, string icb, CancellationToken cancellationToken)
    {
        var name = $"Resilience Surgery {ods}";
        var (status, body) = await admin.PostJsonAsync("/api/identity/practices", new { ods, name, icb, listSize = 9_720 }, cancellationToken,
            idempotencyKey: $"register-{ods}");
        Assert.True(status == HttpStatusCode.Created, $"Registering {ods} answered {(int)status}: {body}");

        var practiceAdmin = await InviteAsync(admin, new TenantPractice(ods, name, icb, "", Guid.Empty, admin),
            $"admin@{ods.ToLowerInvariant()}.test", $"Admin of {ods}", "practice-admin", cancellationToken);

        var (clientStatus, answer) = await admin.PostJsonAsync($"/api/identity/practices/{ods}/clients", new { displayName = $"{ods} practice system" },
            cancellationToken, idempotencyKey: $"client-{ods}");
        Assert.True(clientStatus == HttpStatusCode.Created, $"Creating {ods}'s client answered {(int)clientStatus}: {answer}");
        var client = answer.Read<ClientSecret>();
        var system = ApiClient.ForSystemClient(gateway, Addresses.Next(), client.ClientId, client.ClientSecretValue);
        return new TenantPractice(ods, name, icb, practiceAdmin.Email, practiceAdmin.Id, system, client.ClientSecretValue);
    }

    private static async Task<WarnedUser> InviteAsync(ApiClient admin, TenantPractice practice, string email, string displayName, string role,
        CancellationToken cancellationToken)
    {
        var (status, body) = await admin.PostJsonAsync($"/api/identity/practices/{practice.Ods}/users", new { email, displayName, role },
            cancellationToken, idempotencyKey: $"invite-{email}");
        Assert.True(status == HttpStatusCode.Created, $"Inviting {email} answered {(int)status}: {body}");
        return new WarnedUser(body.Read<Invited>().UserId, email, displayName, "", practice);
    }

    /// <summary>The invitation email of each invitee, waited for in one loop (smtp4dev lists every message each time it is asked).</summary>
    private static async Task<Dictionary<string, string>> InvitationsAsync(Smtp4devMailbox mailbox, IReadOnlyList<WarnedUser> invited, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var messages = await mailbox.GetMessagesAsync(cancellationToken);
            var found = invited.ToDictionary(user => user.Email,
                user => messages.FirstOrDefault(m => m.To.Any(to => to.Contains(user.Email, StringComparison.OrdinalIgnoreCase)))?.Id,
                StringComparer.OrdinalIgnoreCase);
            if (found.Values.All(id => id is not null)) return found.ToDictionary(f => f.Key, f => f.Value!, StringComparer.OrdinalIgnoreCase);
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Invitation emails missing for {string.Join(", ", found.Where(f => f.Value is null).Select(f => f.Key))}.");
            }

            await Task.Delay(1000, cancellationToken);
        }
    }

    /// <summary>Reads the invitation's set-password link and sets a password with it, as the invitee would.</summary>
    private static async Task<WarnedUser> AcceptInvitationAsync(HttpClient gateway, Smtp4devMailbox mailbox, WarnedUser user, string messageId,
        CancellationToken cancellationToken)
    {
        var token = LinkToken(await mailbox.GetPlainTextAsync(messageId, cancellationToken));
        var password = $"Resilient passphrase {Guid.NewGuid():N}";
        var (status, body) = await ApiClient.Anonymous(gateway, Addresses.Next())
            .PostJsonAsync("/api/identity/invitations/accept", new { email = user.Email, token, newPassword = password }, cancellationToken);
        Assert.True(status == HttpStatusCode.NoContent, $"Accepting {user.Email}'s invitation answered {(int)status}: {body}");
        return user with { Password = password };
    }

    public static async Task<string> InvitationTokenAsync(Smtp4devMailbox mailbox, string email, CancellationToken cancellationToken)
    {
        // The invitation itself: once accepted, a "your password was changed" email goes to the same address.
        var message = await mailbox.WaitForAsync(m => m.To.Any(to => to.Contains(email, StringComparison.OrdinalIgnoreCase))
            && m.Subject.StartsWith("You are invited", StringComparison.Ordinal), TimeSpan.FromMinutes(2), cancellationToken);
        return LinkToken(await mailbox.GetPlainTextAsync(message.Id, cancellationToken));
    }

    /// <summary>The single-use token in a set-password or reset link (<c>...?email=...&amp;token=...</c>).</summary>
    public static string LinkToken(string text) =>
        Uri.UnescapeDataString(TokenInLink().Match(text) is { Success: true } match ? match.Groups[1].Value
            : throw new InvalidOperationException($"No link token in: {text}"));

    /// <summary>Waits until Payments, Submissions and Notifications have heard of every practice and person (their own copies).</summary>
    private static async Task WaitForEventsAsync(ResiliencePlatform platform, IReadOnlyList<TenantPractice> practices, IReadOnlyList<Guid> people,
        CancellationToken cancellationToken)
    {
        var odsCodes = practices.Select(p => p.Ods).ToArray();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var payments = await CountAsync(platform.Database("paymentsdb"), "SELECT count(*) FROM practices WHERE ods = ANY(@ods)", odsCodes, cancellationToken);
            var submissions = await CountAsync(platform.Database("submissionsdb"), "SELECT count(*) FROM practices WHERE ods = ANY(@ods)", odsCodes, cancellationToken);
            var notifications = await CountAsync(platform.Database("notificationsdb"), "SELECT count(*) FROM practices WHERE ods = ANY(@ods)", odsCodes, cancellationToken);
            var recipients = await CountAsync(platform.Database("notificationsdb"), "SELECT count(*) FROM recipients WHERE user_id = ANY(@ods)", people.ToArray(), cancellationToken);
            if (payments == odsCodes.Length && submissions == odsCodes.Length && notifications == odsCodes.Length && recipients == people.Count) return;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The services did not hear of the test practices and people: payments {payments}, submissions {submissions}, " +
                    $"notifications {notifications} of {odsCodes.Length} practices; {recipients} of {people.Count} recipients.");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private static async Task<long> CountAsync<T>(NpgsqlDataSource database, string sql, T[] values, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("ods", values);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [GeneratedRegex(@"[?&]token=([A-Za-z0-9_\-%.~]+)")]
    private static partial Regex TokenInLink();
}
