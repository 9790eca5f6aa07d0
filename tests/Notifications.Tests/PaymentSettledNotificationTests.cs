using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Payments;
using Platform.Testing;

namespace Notifications.Tests;

public sealed class PaymentSettledNotificationTests(MessagingServers servers) : IAsyncLifetime
{
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(60);
    private SmtpServer smtp = null!;
    private NotificationsApiFactory factory = null!;

    public async ValueTask InitializeAsync()
    {
        smtp = await SmtpServer.StartAsync();
        factory = await NotificationsApiFactory.CreateAsync(servers, smtp);
        _ = factory.Server; // start the host: its consumers bind their queues
        await factory.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
        await smtp.DisposeAsync();
    }

    private static PaymentSettled Settled(string ods, decimal amount) => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), 1, ods, "FLU", "2026-10", amount, "GBP",
        [new PaymentLine("FLU_65_PLUS", 100, amount / 100, amount)], $"{ods}-TEST{Random.Shared.Next(100000, 999999)}",
        DateTimeOffset.UtcNow);

    private Task Publish(PaymentSettled message, Guid? messageId = null) =>
        factory.Bus.Publish(message, context => context.MessageId = messageId ?? NewId.NextGuid(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_settled_payment_sends_a_remittance_email_and_an_in_app_notice()
    {
        var settled = Settled("A81001", 1006.00m);
        await Publish(settled);

        var email = await smtp.Mailbox.WaitForAsync(m => m.Subject.Contains("£1,006.00"), MailWait, TestContext.Current.CancellationToken);
        Assert.Equal(["a81001@practices.platform.demo"], email.To);
        var text = await smtp.Mailbox.GetPlainTextAsync(email.Id, TestContext.Current.CancellationToken);
        Assert.Contains(settled.RemittanceReference, text);
        Assert.Contains("FLU_65_PLUS: 100 × £10.06 = £1,006.00", text);

        var inbox = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/notifications?practiceOds=A81001", TestContext.Current.CancellationToken);
        var notice = Assert.Single(inbox.GetProperty("items").EnumerateArray());
        Assert.Equal("payment-settled", notice.GetProperty("kind").GetString());
        Assert.Equal(1, inbox.GetProperty("unread").GetInt32());
    }

    [Fact]
    public async Task A_redelivered_event_sends_nothing_more()
    {
        var settled = Settled("A81001", 50.30m);
        var messageId = NewId.NextGuid();
        await Publish(settled, messageId);
        await smtp.Mailbox.WaitForAsync(m => m.Subject.Contains("£50.30"), MailWait, TestContext.Current.CancellationToken);

        await Publish(settled, messageId);
        // A marker published after the duplicate is processed after it: once the marker's mail is in, the duplicate had its chance.
        await Publish(Settled("A81001", 1.00m));
        await smtp.Mailbox.WaitForAsync(m => m.Subject.Contains("£1.00"), MailWait, TestContext.Current.CancellationToken);

        var messages = await smtp.Mailbox.GetMessagesAsync(TestContext.Current.CancellationToken);
        Assert.Single(messages, m => m.Subject.Contains("£50.30"));
    }

    [Fact]
    public async Task With_smtp_stopped_ten_emails_wait_and_all_arrive_once_after_it_starts()
    {
        await smtp.StopAsync();
        var amounts = Enumerable.Range(1, 10).Select(i => 100m + i).ToList();
        foreach (var amount in amounts) await Publish(Settled("B82002", amount));

        // Let the sender try and fail against the stopped relay a few times.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        await smtp.StartAgainAsync();

        foreach (var amount in amounts)
        {
            await smtp.Mailbox.WaitForAsync(m => m.Subject.Contains($"£{amount:0.00}"), MailWait, TestContext.Current.CancellationToken);
        }
        var messages = await smtp.Mailbox.GetMessagesAsync(TestContext.Current.CancellationToken);
        Assert.All(amounts, amount => Assert.Single(messages, m => m.Subject.Contains($"£{amount:0.00}")));
    }
}
