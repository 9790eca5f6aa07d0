using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Api.Data;
using Platform.Contracts.Identity;
using Platform.Contracts.Payments;
using Platform.Contracts.Submissions;
using Platform.Testing;

namespace Notifications.Tests;

/// <summary>
/// Every template, whole: one fixed event of each kind (and each branch worth telling apart) gives exactly the subject,
/// text and HTML recorded in <c>Emails/</c>. A changed wording changes a file there, in review; run with
/// <c>UPDATE_EMAIL_SNAPSHOTS=1</c> to rewrite them.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class EmailSnapshotTests(NotificationsHost host)
{
    private const string Ods = "S00001";
    private const string Icb = "S01A";
    private static readonly DateTimeOffset At = new(2026, 3, 3, 14, 0, 0, TimeSpan.Zero);
    // In the past, so "time left" reads "now" whenever the test runs.
    private static readonly DateTimeOffset ExpiredAt = new(2025, 3, 10, 9, 30, 0, TimeSpan.Zero);
    private static readonly Guid SubmissionId = Guid.Parse("019a0000-0000-7000-8000-000000000001");
    private static readonly Guid PaymentId = Guid.Parse("019a0000-0000-7000-8000-000000000002");

    [Fact]
    public async Task Every_kind_of_email_reads_exactly_as_recorded()
    {
        await host.RegisterPracticeAsync(Ods, Icb, "Snapshot Surgery");
        var owner = await host.RegisterAsync("practice-user", Ods, name: "Olive Owner");
        var admin = await host.RegisterAsync("practice-admin", Ods, name: "Ada Admin");
        var commissioner = await host.RegisterAsync("commissioner", icb: Icb, name: "Cole Commissioner");
        var platformAdmin = await host.RegisterAsync("platform-admin", name: "Pat Platform");
        var submitter = owner.UserId.ToString();
        var lines = new[] { new PaymentLine("FLU_65_PLUS", 100, 10.06m, 1006.00m), new PaymentLine("FLU_UNDER_65_AT_RISK", 20, 10.06m, 201.20m) };

        var checks = new (object Event, string Name, (string Email, string As)[] To)[]
        {
            (new CredentialExpiring(Guid.NewGuid(), owner.UserId, CredentialKinds.Password, owner.UserId, owner.Email, owner.DisplayName, Ods,
                7, ExpiredAt, 1, []), "credential-expiring.password", [To(owner), To(admin)]),
            (new CredentialExpiring(Guid.NewGuid(), Guid.NewGuid(), CredentialKinds.ClientSecret, null, null, "emis-feed", Ods,
                30, ExpiredAt, 1, []), "credential-expiring.client-secret", [To(admin)]),
            (new CredentialExpired(Guid.NewGuid(), owner.UserId, CredentialKinds.Password, owner.UserId, owner.Email, owner.DisplayName, Ods,
                ExpiredAt, 1, []), "credential-expired.password", [To(owner), To(admin)]),
            (new CredentialExpired(Guid.NewGuid(), Guid.NewGuid(), CredentialKinds.ClientSecret, null, null, "emis-feed", Ods,
                ExpiredAt, 1, []), "credential-expired.client-secret", [To(admin)]),
            (new UserInvited(Guid.NewGuid(), "nina.new@snapshot.test", "Nina New", Ods, "practice-user",
                new Uri("https://portal.test/set-password?token=invite"), At.AddDays(3), admin.UserId), "user-invited", [("nina.new@snapshot.test", "invitee")]),
            (new PasswordResetRequested(owner.UserId, owner.Email, owner.DisplayName, new Uri("https://portal.test/reset-password?token=reset"),
                At.AddHours(1)), "password-reset", [To(owner)]),
            (new PasswordChanged(owner.UserId, owner.Email, owner.DisplayName, Ods, At, PasswordChangeMethods.Reset), "password-changed", [To(owner)]),
            // Someone the directory does not hold: the owner keeps the address the later events go to.
            (new EmailChangeRequested(Guid.NewGuid(), "olive.new@snapshot.test", owner.DisplayName, new Uri("https://portal.test/confirm-email?token=confirm"),
                At.AddDays(1)), "email-confirmation", [("olive.new@snapshot.test", "new-address")]),
            (new UserContactChanged(Guid.NewGuid(), "olive.new@snapshot.test", owner.DisplayName, At, "olive.old@snapshot.test",
                new Uri("https://portal.test/undo-email?token=undo"), At.AddDays(7)), "email-changed", [("olive.old@snapshot.test", "previous-address")]),
            // An event from before the undo link: the template leaves that paragraph out.
            (new UserContactChanged(Guid.NewGuid(), "olive.new@snapshot.test", owner.DisplayName, At, "olive.older@snapshot.test"),
                "email-changed.no-undo-link", [("olive.older@snapshot.test", "previous-address")]),
            (new UserLockedOut(Guid.NewGuid(), "luke.locked@snapshot.test", "Luke Locked", Ods, At.AddMinutes(15), []), "user-locked-out", [To(admin)]),
            (new SubmissionAccepted(SubmissionId, 2, Ods, "FLU", "2026-10", [new IndicatorValue("FLU_65_PLUS", 100), new IndicatorValue("FLU_UNDER_65_AT_RISK", 20.5m)],
                "ab12cd34", At, submitter, Supersedes: 1), "submission-accepted", [To(owner)]),
            (new PaymentRefused(SubmissionId, 2, Ods, "FLU", "2026-10", "no_rule", "No payment rule applies to FLU for 2026-10.", At, submitter),
                "submission-rejected", [To(owner)]),
            // The same email from the event Payments published before PaymentRefused, while one may still be queued.
            (new SubmissionRejected(SubmissionId, 2, Ods, "FLU", "2026-10", "no_rule", "No payment rule applies to FLU for 2026-10.", At, submitter),
                "submission-rejected", [To(owner)]),
            (new SubmissionStalled(SubmissionId, 2, Ods, "FLU", "2026-10", "calculated", At.AddHours(-30), TimeSpan.FromHours(30), At),
                "submission-stalled", [To(platformAdmin)]),
            (new PaymentAwaitingApproval(PaymentId, SubmissionId, 2, Ods, Icb, "FLU", "2026-10", 25430.55m, "GBP", "Over the ICB's approval limit.",
                At.AddDays(5), 1), "payment-awaiting-approval", [To(commissioner)]),
            (new PaymentSettled(PaymentId, SubmissionId, 2, Ods, "FLU", "2026-10", 1207.20m, "GBP", lines, "S00001-RA123456", At),
                "payment-settled", [To(admin), To(owner)]),
            (new PaymentDeclined(PaymentId, SubmissionId, 2, Ods, "FLU", "2026-10", 1207.20m, "Counts do not match the ICB's records.", "commissioner-1", At),
                "payment-declined", [To(admin), To(owner)]),
            (new PaymentFailed(PaymentId, SubmissionId, 2, Ods, "FLU", "2026-10", 1207.20m, "The ledger refused the posting: account closed.", At),
                "payment-failed", [To(admin), To(owner)]),
        };

        foreach (var (message, name, to) in checks)
        {
            var messageId = Guid.NewGuid();
            await host.Factory.Bus.Publish(message, message.GetType(), Pipe.Execute<PublishContext>(context => context.MessageId = messageId), TestContext.Current.CancellationToken);
            var emails = await EmailsAsync(messageId);
            foreach (var (address, role) in to)
            {
                var email = Assert.Single(emails, e => e.Recipient == address);
                Snapshot.Check($"{name}.{role}", $"Subject: {email.Subject}\n--- text ---\n{email.TextBody}--- html ---\n{email.HtmlBody}");
            }
        }
    }

    private static (string Email, string As) To(TestPerson person) => (person.Email, person.Role);

    private async Task<List<Notifications.Api.Domain.OutgoingEmail>> EmailsAsync(Guid messageId)
    {
        // All of an event's rows commit together: once one is there, all are.
        await host.WaitUntilAsync(db => db.Emails.AnyAsync(e => e.SourceMessageId == messageId));
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        return await db.Emails.AsNoTracking().Where(e => e.SourceMessageId == messageId).ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The recorded emails, <c>tests/Notifications.Tests/Emails/{name}.txt</c>.</summary>
    private static class Snapshot
    {
        private static readonly string Folder = Path.Combine(RepositoryRoot.Find(), "tests", "Notifications.Tests", "Emails");

        public static void Check(string name, string actual)
        {
            var path = Path.Combine(Folder, $"{name}.txt");
            if (Environment.GetEnvironmentVariable("UPDATE_EMAIL_SNAPSHOTS") == "1")
            {
                Directory.CreateDirectory(Folder);
                File.WriteAllText(path, actual);
                return;
            }
            Assert.True(File.Exists(path), $"No recorded email {path}: run with UPDATE_EMAIL_SNAPSHOTS=1 and review it.");
            Assert.Equal(File.ReadAllText(path), actual);
        }
    }
}
