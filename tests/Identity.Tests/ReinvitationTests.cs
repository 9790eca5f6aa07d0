using System.Net;
using System.Net.Http.Json;
using System.Web;
using Identity.Api.Apis;
using Platform.Contracts.Identity;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Identity.Tests;

/// <summary>POST .../users/{id}/invitation: a new single-use link for someone who has not set a password yet.</summary>
public sealed class ReinvitationTests(MessagingServers servers)
{
    [Fact]
    public async Task Reissuing_an_invitation_sends_a_new_link_and_the_old_one_stops_working()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        var managerAccount = await app.CreateUserAsync("manager@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        var userId = await InviteAsync(app);
        app.Time.Advance(TimeSpan.FromDays(2));
        using var manager = await app.ClientForAsync("manager@a81001.test");

        using var reissued = await manager.PostAsync($"/api/identity/practices/A81001/users/{userId}/invitation", null);

        Assert.Equal(HttpStatusCode.OK, reissued.StatusCode);
        var body = await reissued.Content.ReadFromJsonAsync<PracticesApi.Invited>();
        Assert.Equal(app.Time.GetUtcNow().AddDays(3), body!.LinkExpiresAt);
        var invitations = await app.OutboxAsync<UserInvited>();
        Assert.Equal(2, invitations.Count);
        Assert.Equal((userId, "new@a81001.test", "New Person", "A81001", managerAccount.Id),
            (invitations[1].UserId, invitations[1].Email, invitations[1].DisplayName, invitations[1].PracticeOds, invitations[1].InvitedBy));
        var oldToken = HttpUtility.ParseQueryString(invitations[0].SetPasswordLink.Query)["token"];
        var newToken = HttpUtility.ParseQueryString(invitations[1].SetPasswordLink.Query)["token"];
        Assert.NotEqual(oldToken, newToken);

        using var anonymous = app.CreateClient();
        using var old = await anonymous.PostAsJsonAsync("/api/identity/invitations/accept", new { email = "new@a81001.test", token = oldToken, newPassword = "first passphrase here" });
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        using var accepted = await anonymous.PostAsJsonAsync("/api/identity/invitations/accept", new { email = "new@a81001.test", token = newToken, newPassword = "first passphrase here" });
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);

        // Once the password is set there is nothing to re-send.
        using var notPending = await manager.PostAsync($"/api/identity/practices/A81001/users/{userId}/invitation", null);
        Assert.Equal(HttpStatusCode.Conflict, notPending.StatusCode);
        Assert.Equal("invitation_not_pending", (await notPending.ReadProblemAsync()).Code);
        Assert.Equal(2, (await app.OutboxAsync<UserInvited>()).Count);
    }

    private static async Task<Guid> InviteAsync(IdentityApp app)
    {
        using var manager = await app.ClientForAsync("manager@a81001.test");
        using var invited = await manager.PostCreatingAsync("/api/identity/practices/A81001/users", new { email = "new@a81001.test", displayName = "New Person", role = PlatformRoles.PracticeUser });
        return (await invited.Content.ReadFromJsonAsync<PracticesApi.Invited>())!.UserId;
    }

    [Fact]
    public async Task Reissuing_is_refused_for_a_disabled_user_another_practice_and_a_non_admin()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        await app.RegisterPracticeAsync("B82002");
        await app.CreateUserAsync("manager@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        await app.CreateUserAsync("manager@b82002.test", PlatformRoles.PracticeAdmin, "B82002");
        await app.CreateUserAsync("user@a81001.test");
        using var manager = await app.ClientForAsync("manager@a81001.test");
        using var otherManager = await app.ClientForAsync("manager@b82002.test");
        using var plainUser = await app.ClientForAsync("user@a81001.test");
        using var invited = await manager.PostCreatingAsync("/api/identity/practices/A81001/users", new { email = "new@a81001.test", displayName = "New Person", role = PlatformRoles.PracticeUser });
        var userId = (await invited.Content.ReadFromJsonAsync<PracticesApi.Invited>())!.UserId;
        var path = $"/api/identity/practices/A81001/users/{userId}/invitation";

        using var otherPractice = await otherManager.PostAsync(path, null);
        using var viaOwnPractice = await otherManager.PostAsync($"/api/identity/practices/B82002/users/{userId}/invitation", null);
        using var notAdmin = await plainUser.PostAsync(path, null);
        using var unknown = await manager.PostAsync($"/api/identity/practices/A81001/users/{Guid.NewGuid()}/invitation", null);
        await manager.PostAsync($"/api/identity/practices/A81001/users/{userId}/disable", null);
        using var disabled = await manager.PostAsync(path, null);

        Assert.Equal(HttpStatusCode.NotFound, otherPractice.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, viaOwnPractice.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, disabled.StatusCode);
        Assert.Equal("invitation_not_pending", (await disabled.ReadProblemAsync()).Code);
        Assert.Single(await app.OutboxAsync<UserInvited>());
    }
}
