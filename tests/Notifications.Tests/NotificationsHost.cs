using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Api.Apis;
using Notifications.Api.Data;
using Platform.Contracts.Identity;
using Platform.Testing;

namespace Notifications.Tests;

/// <summary>A person the tests registered in the directory through a <c>UserRegistered</c> event.</summary>
public sealed record TestPerson(Guid UserId, string Email, string DisplayName, string Role, string? PracticeOds, string? Icb);

/// <summary>
/// One Notifications service and one smtp4dev, shared by the tests of <see cref="SharedHostCollection"/>. Tests keep apart
/// by using their own practice, ICB and addresses (<see cref="NewOds"/>, <see cref="NewEmail"/>).
/// </summary>
public sealed class NotificationsHost(MessagingServers servers) : IAsyncLifetime
{
    public static readonly TimeSpan MailWait = TimeSpan.FromSeconds(60);

    public SmtpServer Smtp { get; private set; } = null!;
    public NotificationsApiFactory Factory { get; private set; } = null!;
    public Smtp4devMailbox Mailbox => Smtp.Mailbox;

    public async ValueTask InitializeAsync()
    {
        Smtp = await SmtpServer.StartAsync();
        Factory = await NotificationsApiFactory.CreateAsync(servers, Smtp);
        await Factory.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    public static string NewOds() => $"T{Random.Shared.Next(10000, 99999)}";

    public static string NewIcb() => $"Q{Random.Shared.Next(100, 999)}{(char)('A' + Random.Shared.Next(26))}";

    public static string NewEmail(string who) => $"{who}.{Guid.NewGuid():N}@test.demo";

    public Task Publish<T>(T message, Guid? messageId = null) where T : class =>
        Factory.Bus.Publish(message, context => context.MessageId = messageId ?? NewId.NextGuid(), TestContext.Current.CancellationToken);

    public async Task RegisterPracticeAsync(string ods, string icb, string name = "Test Surgery")
    {
        await Publish(new PracticeRegistered(ods, name, icb, 5000, DateTimeOffset.UtcNow));
        await WaitUntilAsync(db => db.Practices.AnyAsync(p => p.Ods == ods));
    }

    /// <summary>Registers someone through Identity's event and waits until the directory has them.</summary>
    public async Task<TestPerson> RegisterAsync(string role, string? practiceOds = null, string? icb = null, string? name = null)
    {
        var person = new TestPerson(Guid.CreateVersion7(), NewEmail(role), name ?? $"Test {role} {Random.Shared.Next(1000, 9999)}", role, practiceOds, icb);
        await Publish(new UserRegistered(person.UserId, person.Email, person.DisplayName, [role], practiceOds, icb, DateTimeOffset.UtcNow));
        await WaitUntilAsync(db => db.People.AnyAsync(p => p.UserId == person.UserId && p.RegisteredAt != null));
        return person;
    }

    public async Task WaitUntilAsync(Func<NotificationsDbContext, Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + MailWait;
        while (true)
        {
            await using (var scope = Factory.Services.CreateAsyncScope())
            {
                if (await condition(scope.ServiceProvider.GetRequiredService<NotificationsDbContext>())) return;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The service did not reach the expected state in time.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The one email to <paramref name="to"/> whose subject contains <paramref name="subject"/>, with its plain text.</summary>
    public async Task<(Smtp4devMailbox.ReceivedMessage Message, string Text)> MailAsync(string to, string subject)
    {
        var message = await Mailbox.WaitForAsync(m => m.To.Contains(to, StringComparer.OrdinalIgnoreCase) && m.Subject.Contains(subject, StringComparison.Ordinal),
            MailWait, TestContext.Current.CancellationToken);
        return (message, await Mailbox.GetPlainTextAsync(message.Id, TestContext.Current.CancellationToken));
    }

    public async Task<string> HtmlAsync(string messageId)
    {
        using var http = new HttpClient { BaseAddress = Mailbox.BaseAddress };
        return await http.GetStringAsync($"api/messages/{messageId}/html", TestContext.Current.CancellationToken);
    }

    public async Task<IReadOnlyList<Smtp4devMailbox.ReceivedMessage>> MailToAsync(string to) =>
        [.. (await Mailbox.GetMessagesAsync(TestContext.Current.CancellationToken)).Where(m => m.To.Contains(to, StringComparer.OrdinalIgnoreCase))];

    public async Task<NoticePage> InboxAsync(TestPerson person, string query = "")
    {
        using var client = Factory.ClientFor(person.UserId, person.Role, person.PracticeOds, person.Icb);
        return (await client.GetFromJsonAsync<NoticePage>($"/api/notifications{query}", TestContext.Current.CancellationToken))!;
    }

    /// <summary>Waits until the person's inbox holds a notice of <paramref name="kind"/> and returns the newest such.</summary>
    public async Task<NoticeView> NoticeAsync(TestPerson person, string kind)
    {
        var deadline = DateTime.UtcNow + MailWait;
        while (true)
        {
            var inbox = await InboxAsync(person);
            var found = inbox.Items.Where(n => n.Kind == kind).ToList();
            if (found.Count > 0) return found[0];
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No {kind} notice reached {person.Email}.");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// The addresses the event with <paramref name="messageId"/> queued email for. All of an event's rows commit in one
    /// transaction, so once one of its emails arrived this is the whole list: who is not in it was not told.
    /// </summary>
    public async Task<List<string>> EmailRowsAsync(Guid messageId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        return await db.Emails.Where(e => e.SourceMessageId == messageId).Select(e => e.Recipient).OrderBy(r => r).ToListAsync(TestContext.Current.CancellationToken);
    }

    public async Task<List<Guid>> NoticeRowsAsync(Guid messageId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        return await db.Notices.Where(n => n.SourceMessageId == messageId).Select(n => n.RecipientUserId).ToListAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>
/// The test classes that share one service and relay: one host instead of one per class keeps the two cores for the
/// tests. Their tests run one after another; each keeps to its own practice, ICB and addresses.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedHostCollection : ICollectionFixture<NotificationsHost>
{
    public const string Name = "shared notifications host";
}
