using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Notifications.Api.Apis;
using Platform.Contracts.Payments;
using Platform.Testing;

namespace Notifications.Tests;

/// <summary>The in-app inbox: only the caller's notices, newest first, paged, unread counted, marked read.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class InboxApiTests(NotificationsHost host)
{
    private static PaymentSettled Settled(string ods, decimal amount) => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), 1, ods, "FLU", "2026-10", amount, "GBP",
        [new PaymentLine("FLU_65_PLUS", 1, amount, amount)], $"{ods}-R{Random.Shared.Next(100000, 999999)}", DateTimeOffset.UtcNow);

    private async Task<(TestPerson Admin, TestPerson Other)> ThreeNoticesAsync()
    {
        var ods = NotificationsHost.NewOds();
        var admin = await host.RegisterAsync("practice-admin", ods);
        var other = await host.RegisterAsync("practice-user", NotificationsHost.NewOds());
        foreach (var amount in new[] { 1.01m, 2.02m, 3.03m })
        {
            await host.Publish(Settled(ods, amount));
            await host.MailAsync(admin.Email, $"£{amount}"); // one at a time, so the order is known
        }
        return (admin, other);
    }

    [Fact]
    public async Task The_inbox_lists_the_callers_notices_newest_first_paged_with_the_unread_count()
    {
        var (admin, other) = await ThreeNoticesAsync();

        var first = await host.InboxAsync(admin, "?pageSize=2");
        Assert.Equal((1, 2, 3), (first.Page, first.PageSize, first.Total));
        Assert.Equal(3, first.Unread); // the inbox's field beside the page's
        var titles = first.Items.Select(n => n.Title).ToList();
        Assert.Equal(2, titles.Count);
        Assert.Contains("£3.03", titles[0]);
        Assert.Contains("£2.02", titles[1]);
        var second = await host.InboxAsync(admin, "?pageSize=2&page=2");
        Assert.Contains("£1.01", Assert.Single(second.Items).Title);

        Assert.Equal(0, (await host.InboxAsync(other)).Total);
    }

    [Fact]
    public async Task A_user_cannot_read_or_mark_another_users_notifications()
    {
        var (admin, other) = await ThreeNoticesAsync();
        var ct = TestContext.Current.CancellationToken;
        var notice = (await host.InboxAsync(admin)).Items[0];
        var id = notice.Id;

        using var intruder = host.Factory.ClientFor(other.UserId, other.Role, other.PracticeOds);
        var response = await intruder.PostAsync($"/api/notifications/{id}/read", null, ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await response.ReadProblemAsync(ct)).Code);
        var all = await intruder.PostAsync("/api/notifications/read-all", null, ct);
        Assert.Equal(0, (await all.Content.ReadFromJsonAsync<MarkedRead>(ct))!.Marked);
        Assert.Equal(3, (await host.InboxAsync(admin)).Unread);

        using var owner = host.Factory.ClientFor(admin.UserId, admin.Role, admin.PracticeOds);
        var read = await owner.PostAsync($"/api/notifications/{id}/read", null, ct);
        read.EnsureSuccessStatusCode();
        Assert.NotNull((await read.Content.ReadFromJsonAsync<NoticeView>(ct))!.ReadAt);
        Assert.Equal(2, (await host.InboxAsync(admin)).Unread);
        Assert.Equal(2, (await host.InboxAsync(admin, "?unreadOnly=true")).Items.Count);

        var marked = await owner.PostAsync("/api/notifications/read-all", null, ct);
        Assert.Equal(2, (await marked.Content.ReadFromJsonAsync<MarkedRead>(ct))!.Marked);
        Assert.Equal(0, (await host.InboxAsync(admin)).Unread);
    }

    [Fact]
    public async Task Without_a_valid_token_the_inbox_answers_401_and_the_failed_list_is_for_platform_admins_only()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = host.Factory.CreateClient();
        var response = await anonymous.GetAsync("/api/notifications", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthorized", (await response.ReadProblemAsync(ct)).Code);

        using var forged = host.Factory.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestTokens.Issue(Guid.NewGuid(), "platform-admin", key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = TestTokens.Key.KeyId }));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/notifications/admin/failed", ct)).StatusCode);

        using var practiceAdmin = host.Factory.ClientFor(Guid.NewGuid(), "practice-admin", "A81001");
        Assert.Equal(HttpStatusCode.Forbidden, (await practiceAdmin.GetAsync("/api/notifications/admin/failed", ct)).StatusCode);

        using var platformAdmin = host.Factory.ClientFor(Guid.NewGuid(), "platform-admin");
        Assert.Equal(HttpStatusCode.OK, (await platformAdmin.GetAsync("/api/notifications/admin/failed", ct)).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_inbox_and_the_admin_actions_and_matches_its_committed_snapshot()
    {
        using var anonymous = host.Factory.CreateClient();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/notifications", paths);
        Assert.Contains("/api/notifications/{id}/read", paths);
        Assert.Contains("/api/notifications/read-all", paths);
        Assert.Contains("/api/notifications/preferences", paths);
        Assert.Contains("/api/notifications/admin/failed/{id}/retry", paths);

        var incompatible = OpenApiSnapshot.Check("notifications", document.GetRawText());
        Assert.True(incompatible is null, incompatible);
    }
}
