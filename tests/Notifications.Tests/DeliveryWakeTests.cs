using System.Diagnostics;
using Platform.Contracts.Identity;
using Platform.Testing;

namespace Notifications.Tests;

/// <summary>Mail goes out when the transaction that queued it commits, not when the delivery job next looks.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class DeliveryWakeTests(MessagingServers servers, NotificationsHost host)
{
    [Fact]
    public async Task Queued_mail_is_sent_at_once_though_the_job_looks_for_due_mail_only_every_few_minutes()
    {
        await using var factory = await NotificationsApiFactory.CreateAsync(servers, host.Smtp,
            new Dictionary<string, string> { ["Notifications:Delivery:PollInterval"] = "00:05:00" });
        await factory.StartAsync();
        var email = NotificationsHost.NewEmail("woken");

        // The job's first look happens at start-up; after it, only the commit's wake-up can send this within the wait.
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        await factory.Bus.Publish(new PasswordResetRequested(Guid.CreateVersion7(), email, "Woken Person",
            new Uri("https://portal.test/reset-password?token=t"), DateTimeOffset.UtcNow.AddHours(1)), TestContext.Current.CancellationToken);

        var (_, text) = await host.MailAsync(email, "Reset your GP Payments Platform password");
        Assert.Contains("Dear Woken Person", text);
    }

    [Fact]
    public async Task Mail_queued_by_events_close_together_goes_out_with_one_lease()
    {
        await using var factory = await NotificationsApiFactory.CreateAsync(servers, host.Smtp, new Dictionary<string, string>
        {
            ["Notifications:Delivery:PollInterval"] = "00:05:00", ["Notifications:Delivery:GatherFor"] = "00:00:01",
        });
        await factory.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // past the job's first look
        using var statements = new DatabaseStatements(factory.ConnectionString);

        string[] emails = [NotificationsHost.NewEmail("gathered"), NotificationsHost.NewEmail("gathered"), NotificationsHost.NewEmail("gathered")];
        foreach (var email in emails)
        {
            await factory.Bus.Publish(new PasswordResetRequested(Guid.CreateVersion7(), email, "Gathered Person",
                new Uri("https://portal.test/reset-password?token=t"), DateTimeOffset.UtcNow.AddHours(1)), TestContext.Current.CancellationToken);
        }

        foreach (var email in emails) await host.MailAsync(email, "Reset your GP Payments Platform password");
        // One lease takes all three; the job's next look finds nothing and it waits. Leased one by one, it would be three or more.
        Assert.InRange(Leases(statements), 1, 2);
    }

    [Fact]
    public async Task Mail_that_trickles_in_goes_out_a_gathered_batch_at_a_time_not_an_email_at_a_time()
    {
        await using var factory = await NotificationsApiFactory.CreateAsync(servers, host.Smtp, new Dictionary<string, string>
        {
            ["Notifications:Delivery:PollInterval"] = "00:05:00", ["Notifications:Delivery:GatherFor"] = "00:00:00.500",
            ["Notifications:Delivery:BatchSize"] = "200",
        });
        await factory.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // past the job's first look
        using var statements = new DatabaseStatements(factory.ConnectionString);

        // An email every 20 ms for 2 s or so: gathered for half a second each time, a lease per half second at most (3 here).
        // Leasing again straight after each batch that was not full takes what arrived while it was sent, again and again
        // (10 here).
        var emails = Enumerable.Range(0, 100).Select(_ => NotificationsHost.NewEmail("trickle")).ToList();
        var publishing = Stopwatch.StartNew();
        foreach (var email in emails)
        {
            await factory.Bus.Publish(new PasswordResetRequested(Guid.CreateVersion7(), email, "Trickle Person",
                new Uri("https://portal.test/reset-password?token=t"), DateTimeOffset.UtcNow.AddHours(1)), TestContext.Current.CancellationToken);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var windows = (int)(publishing.Elapsed / TimeSpan.FromMilliseconds(500)) + 1;
        foreach (var email in emails) await host.MailAsync(email, "Reset your GP Payments Platform password");
        Assert.InRange(Leases(statements), 1, windows + 1);
    }

    private static int Leases(DatabaseStatements statements) =>
        statements.All.Count(text => text.Contains("FROM outgoing_emails", StringComparison.Ordinal) && text.Contains("SKIP LOCKED", StringComparison.Ordinal));
}
