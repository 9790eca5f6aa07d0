using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Api.Apis;
using Platform.Contracts.Identity;
using Platform.Contracts.Payments;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Notifications.Tests;

/// <summary>Email delivery is its own step: it gives up visibly on a refused message, can be retried, and is traced.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class DeliveryTests(NotificationsHost host)
{
    private NotificationsApiFactory Factory => host.Factory;

    private static PaymentSettled Settled(string ods, decimal amount) => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), 1, ods, "FLU", "2026-10", amount, "GBP",
        [new PaymentLine("FLU_65_PLUS", 1, amount, amount)], $"{ods}-R{Random.Shared.Next(100000, 999999)}", DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_message_the_relay_refuses_is_failed_after_its_last_attempt_counted_listed_and_can_be_retried()
    {
        var failures = new List<(string Channel, string Kind)>();
        using var listener = FailureListener(failures);
        var ods = NotificationsHost.NewOds();
        var admin = await host.RegisterAsync("practice-admin", ods);
        var refused = Guid.CreateVersion7();
        var refusedAddress = $"refused.{Guid.NewGuid():N}@{SmtpServer.RefusingDomain}"; // a valid address the relay will not take
        await host.Publish(new UserRegistered(refused, refusedAddress, "Refused Address", ["practice-admin"], ods, "QWE", DateTimeOffset.UtcNow));
        await host.WaitUntilAsync(db => Task.FromResult(db.People.Any(p => p.UserId == refused)));
        await host.Publish(Settled(ods, 66.60m));
        await host.MailAsync(admin.Email, "£66.60"); // the good address is not held up by the refused one
        // The job counts a failure right after it commits it: wait for both, or the count can be read between the two.
        await host.WaitUntilAsync(db => Task.FromResult(db.Emails.Any(e => e.Recipient == refusedAddress && e.Status == "failed")
            && Failures().Contains(("email", "payment-settled"))));
        Assert.Contains(("email", "payment-settled"), Failures());

        var ct = TestContext.Current.CancellationToken;
        using var platformAdmin = Factory.ClientFor(Guid.NewGuid(), "platform-admin");
        var failed = (await platformAdmin.GetFromJsonAsync<PageOf<FailedEmailView>>("/api/notifications/admin/failed", ct))!;
        Assert.Equal((1, 50), (failed.Page, failed.PageSize));
        Assert.Equal(failed.Items.Count, failed.Total);
        var item = Assert.Single(failed.Items, i => i.Recipient == refusedAddress);
        Assert.Equal("payment-settled", item.Kind);
        Assert.Equal(3, item.Attempts);
        Assert.Equal("Recipient rejected", item.LastError); // the relay's own answer

        // A retry gives it another round of attempts, each recorded; refused again, it is failed and counted again.
        var id = item.Id;
        var retried = await platformAdmin.PostAsync($"/api/notifications/admin/failed/{id}/retry", null, ct);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        await host.WaitUntilAsync(db => Task.FromResult(db.EmailAttempts.Count(a => a.EmailId == id) == 6 && db.Emails.Any(e => e.Id == id && e.Status == "failed")
            && Failures().Count(f => f == ("email", "payment-settled")) >= 2));
        Assert.Equal(2, Failures().Count(f => f == ("email", "payment-settled")));
        var again = (await platformAdmin.GetFromJsonAsync<PageOf<FailedEmailView>>("/api/notifications/admin/failed", ct))!;
        Assert.NotNull(Assert.Single(again.Items, i => i.Id == id).RetriedAt);
        Assert.Equal(HttpStatusCode.NotFound, (await platformAdmin.PostAsync($"/api/notifications/admin/failed/{Guid.NewGuid()}/retry", null, ct)).StatusCode);

        List<(string Channel, string Kind)> Failures() { lock (failures) return [.. failures]; }
    }

    [Fact]
    public async Task Retrying_an_email_that_has_not_failed_is_a_conflict()
    {
        var ods = NotificationsHost.NewOds();
        var admin = await host.RegisterAsync("practice-admin", ods);
        var messageId = MassTransit.NewId.NextGuid();
        await host.Publish(Settled(ods, 5.55m), messageId);
        await host.MailAsync(admin.Email, "£5.55");
        Guid id = default;
        await host.WaitUntilAsync(async db => (id = await db.Emails.Where(e => e.SourceMessageId == messageId).Select(e => e.Id).SingleAsync()) != default);

        using var platformAdmin = Factory.ClientFor(Guid.NewGuid(), "platform-admin");
        var response = await platformAdmin.PostAsync($"/api/notifications/admin/failed/{id}/retry", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task The_send_is_a_span_in_the_trace_of_the_event_that_caused_it()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Platform" or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) spans.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);
        var ods = NotificationsHost.NewOds();
        var admin = await host.RegisterAsync("practice-admin", ods);

        using var source = new ActivitySource("Notifications.Tests");
        using var cause = new Activity("payment settled in Payments").SetIdFormat(ActivityIdFormat.W3C).Start();
        await host.Publish(Settled(ods, 88.80m));
        cause.Stop();
        await host.MailAsync(admin.Email, "£88.80");

        await host.WaitUntilAsync(_ => Task.FromResult(Spans().Any(s => s.OperationName.StartsWith("email send", StringComparison.Ordinal) && s.TraceId == cause.TraceId)));
        var send = Spans().Single(s => s.OperationName.StartsWith("email send", StringComparison.Ordinal) && s.TraceId == cause.TraceId);
        Assert.Equal("payment-settled", send.GetTagItem("notification.kind"));
        Assert.Equal("email", send.GetTagItem("notification.channel"));

        List<Activity> Spans() { lock (spans) return [.. spans]; }
    }

    private MeterListener FailureListener(List<(string Channel, string Kind)> failures)
    {
        var meters = Factory.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Platform" && instrument.Meter.Scope == meters && instrument.Name == Notifications.Api.Telemetry.NotificationMetrics.FailedName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? channel = null, kind = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "channel") channel = tag.Value as string;
                if (tag.Key == "kind") kind = tag.Value as string;
            }
            lock (failures) failures.Add((channel!, kind!));
        });
        listener.Start();
        return listener;
    }
}

/// <summary>
/// A relay outage delays mail and loses none; the connection to the relay outlives a batch. Its own relay and service, since
/// it stops the relay and counts the relay's connections.
/// </summary>
public sealed class RelayOutageTests(NotificationsHost host) : IClassFixture<NotificationsHost>
{
    private SmtpServer Smtp => host.Smtp;

    private static PaymentSettled Settled(string ods, decimal amount) => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), 1, ods, "FLU", "2026-10", amount, "GBP",
        [new PaymentLine("FLU_65_PLUS", 1, amount, amount)], $"{ods}-R{Random.Shared.Next(100000, 999999)}", DateTimeOffset.UtcNow);

    [Fact]
    public async Task With_smtp_stopped_ten_emails_wait_and_all_arrive_once_after_it_starts()
    {
        var ods = NotificationsHost.NewOds();
        var admin = await host.RegisterAsync("practice-admin", ods);
        await Smtp.StopAsync();
        var amounts = Enumerable.Range(1, 10).Select(i => 100m + i).ToList();
        foreach (var amount in amounts) await host.Publish(Settled(ods, amount));

        // Let the sender find the relay down more often than the 3 attempts a refused message gets: an outage does not count.
        await host.WaitUntilAsync(db => Task.FromResult(db.EmailAttempts.Count(a => a.Outcome == "error") >= 40));
        await host.WaitUntilAsync(db => Task.FromResult(!db.Emails.Any(e => e.Status == "failed")));
        await Smtp.StartAgainAsync();

        foreach (var amount in amounts) await host.MailAsync(admin.Email, $"£{amount:0.00}");
        var messages = await host.MailToAsync(admin.Email);
        Assert.All(amounts, amount => Assert.Single(messages, m => m.Subject.Contains($"£{amount:0.00}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Mail_that_follows_other_mail_goes_over_the_same_relay_connection()
    {
        var (ods, admin) = await AdminMailedAsync(201m);
        var before = await SessionIdsAsync();

        // Each its own batch: the second is queued after the first has gone.
        await host.Publish(Settled(ods, 202m));
        await SentAsync(admin, 202m);
        await host.Publish(Settled(ods, 203m));
        await SentAsync(admin, 203m);

        Assert.Empty((await SessionIdsAsync()).Except(before));
        await host.MailAsync(admin.Email, "£202.00");
        await host.MailAsync(admin.Email, "£203.00");
    }

    [Fact]
    public async Task A_connection_the_relay_dropped_while_it_was_idle_is_replaced_without_a_failed_attempt()
    {
        var (ods, admin) = await AdminMailedAsync(301m);
        await Smtp.StopAsync();
        await Smtp.StartAgainAsync();

        await host.Publish(Settled(ods, 302m));
        var email = await SentAsync(admin, 302m);
        Assert.Equal(1, email.Attempts);
        await host.WaitUntilAsync(async db => !await db.EmailAttempts.AnyAsync(a => a.EmailId == email.Id && a.Outcome == "error"));
        await host.MailAsync(admin.Email, "£302.00");
    }

    /// <summary>A new practice's admin, to whom the email about a payment of <paramref name="amount"/> has just gone.</summary>
    private async Task<(string Ods, TestPerson Admin)> AdminMailedAsync(decimal amount)
    {
        var ods = NotificationsHost.NewOds();
        var admin = await host.RegisterAsync("practice-admin", ods);
        await host.Publish(Settled(ods, amount));
        await SentAsync(admin, amount);
        return (ods, admin);
    }

    /// <summary>Waits until the email to <paramref name="admin"/> for <paramref name="amount"/> is recorded as sent.</summary>
    private async Task<Notifications.Api.Domain.OutgoingEmail> SentAsync(TestPerson admin, decimal amount)
    {
        Notifications.Api.Domain.OutgoingEmail? sent = null;
        var subject = $"£{amount:0.00}";
        await host.WaitUntilAsync(async db => (sent = await db.Emails.AsNoTracking()
            .FirstOrDefaultAsync(e => e.Recipient == admin.Email && e.Subject.Contains(subject) && e.Status == "sent")) is not null);
        return sent!;
    }

    private async Task<HashSet<string>> SessionIdsAsync() =>
        [.. (await Smtp.Mailbox.GetSessionsAsync(TestContext.Current.CancellationToken)).Select(session => session.Id)];
}
