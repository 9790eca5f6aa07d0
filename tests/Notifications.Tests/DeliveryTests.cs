using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Payments;
using Platform.Testing;

namespace Notifications.Tests;

/// <summary>Email delivery is its own step: it waits out a relay outage, gives up visibly, can be retried, and is traced.</summary>
public sealed class DeliveryTests(MessagingServers servers) : IAsyncLifetime
{
    // Each test gets its own relay and service: these tests stop the relay.
    private readonly NotificationsHost host = new(servers)
    {
        Settings = TestContext.Current.TestMethod?.MethodName == nameof(After_the_last_attempt_an_email_is_failed_counted_listed_and_can_be_retried)
            ? new Dictionary<string, string> { ["Notifications:Delivery:MaxAttempts"] = "3" }
            : null,
    };

    private SmtpServer smtp => host.Smtp;
    private NotificationsApiFactory factory => host.Factory;

    public ValueTask InitializeAsync() => host.InitializeAsync();

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private static PaymentSettled Settled(string ods, decimal amount) => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), 1, ods, "FLU", "2026-10", amount, "GBP",
        [new PaymentLine("FLU_65_PLUS", 1, amount, amount)], $"{ods}-R{Random.Shared.Next(100000, 999999)}", DateTimeOffset.UtcNow);

    [Fact]
    public async Task With_smtp_stopped_ten_emails_wait_and_all_arrive_once_after_it_starts()
    {
        var ods = NotificationsHost.NewOds();
        var admin = await host.RegisterAsync("practice-admin", ods);
        await smtp.StopAsync();
        var amounts = Enumerable.Range(1, 10).Select(i => 100m + i).ToList();
        foreach (var amount in amounts) await host.Publish(Settled(ods, amount));

        // Let the sender try and fail against the stopped relay a few times.
        await host.WaitUntilAsync(db => Task.FromResult(db.EmailAttempts.Count(a => a.Outcome == "error") >= 20));
        await smtp.StartAgainAsync();

        foreach (var amount in amounts) await host.MailAsync(admin.Email, $"£{amount:0.00}");
        var messages = await host.MailToAsync(admin.Email);
        Assert.All(amounts, amount => Assert.Single(messages, m => m.Subject.Contains($"£{amount:0.00}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task After_the_last_attempt_an_email_is_failed_counted_listed_and_can_be_retried()
    {
        var failures = new List<(string Channel, string Kind)>();
        using var listener = FailureListener(failures);
        var ods = NotificationsHost.NewOds();
        var admin = await host.RegisterAsync("practice-admin", ods);
        await smtp.StopAsync();
        await host.Publish(Settled(ods, 66.60m));
        await host.WaitUntilAsync(db => Task.FromResult(db.Emails.Any(e => e.Status == "failed")));
        Assert.Contains(("email", "payment-settled"), failures);

        var ct = TestContext.Current.CancellationToken;
        using var platformAdmin = factory.ClientFor(Guid.NewGuid(), "platform-admin");
        var failed = await platformAdmin.GetFromJsonAsync<JsonElement>("/api/notifications/admin/failed", ct);
        var item = Assert.Single(failed.GetProperty("items").EnumerateArray());
        Assert.Equal(admin.Email, item.GetProperty("recipient").GetString());
        Assert.Equal(3, item.GetProperty("attempts").GetInt32());
        Assert.False(string.IsNullOrEmpty(item.GetProperty("lastError").GetString()));

        await smtp.StartAgainAsync();
        var id = item.GetProperty("id").GetGuid();
        var retried = await platformAdmin.PostAsync($"/api/notifications/admin/failed/{id}/retry", null, ct);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        await host.MailAsync(admin.Email, "£66.60");
        Assert.Equal(0, (await platformAdmin.GetFromJsonAsync<JsonElement>("/api/notifications/admin/failed", ct)).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, (await platformAdmin.PostAsync($"/api/notifications/admin/failed/{id}/retry", null, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await platformAdmin.PostAsync($"/api/notifications/admin/failed/{Guid.NewGuid()}/retry", null, ct)).StatusCode);
        await host.WaitUntilAsync(db => Task.FromResult(db.EmailAttempts.Count(a => a.EmailId == id) == 4));
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
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Platform" && instrument.Meter.Scope == meters && instrument.Name == "notifications.failed") l.EnableMeasurementEvents(instrument);
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
