using System.Net;
using System.Net.Http.Json;
using System.Web;
using Identity.Api.Apis;
using Platform.Contracts.Identity;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Identity.Tests;

public sealed class RecoveryAndAccountsTests(MessagingServers servers)
{
    [Fact]
    public async Task Reset_request_for_an_unknown_email_is_accepted_and_sends_nothing()
    {
        await using var app = await IdentityApp.StartAsync(servers);

        using var response = await app.CreateClient().PostAsJsonAsync("/api/identity/password/reset-requests", new { email = "nobody@nowhere.test" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await app.OutboxAsync<PasswordResetRequested>());
    }

    [Fact]
    public async Task Reset_token_sets_the_password_clears_the_lockout_and_works_only_once()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);
        for (var i = 0; i < 5; i++)
        {
            await app.PasswordGrantAsync("user@a81001.test", "wrong guess " + i);
        }

        Assert.Equal("account_locked", (await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).Code);

        using var client = app.CreateClient();
        using var request = await client.PostAsJsonAsync("/api/identity/password/reset-requests", new { email = "USER@a81001.test" });
        Assert.Equal(HttpStatusCode.Accepted, request.StatusCode);
        var sent = Assert.Single(await app.OutboxAsync<PasswordResetRequested>());
        Assert.Equal(app.Time.GetUtcNow().AddHours(1), sent.LinkExpiresAt);
        var token = HttpUtility.ParseQueryString(sent.ResetLink.Query)["token"]!;
        Assert.StartsWith("http://portal.test/reset-password?", sent.ResetLink.ToString());

        // Only a hash of the token is stored.
        Assert.False(await app.InDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.OneTimeTokens, row => row.TokenHash == token)));

        using var reset = await client.PostAsJsonAsync("/api/identity/password/resets", new { email = "user@a81001.test", token, newPassword = "recovered passphrase 2026" });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.True((await app.PasswordGrantAsync("user@a81001.test", "recovered passphrase 2026")).IsSuccess);

        using var again = await client.PostAsJsonAsync("/api/identity/password/resets", new { email = "user@a81001.test", token, newPassword = "another passphrase 2026" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("invalid_token", (await again.ReadProblemAsync()).Code);
    }

    [Fact]
    public async Task Reset_requests_are_limited_to_three_links_an_hour_per_account_and_still_answer_202()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);
        using var client = app.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/identity/password/reset-requests", new { email = "user@a81001.test" });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        Assert.Equal(3, (await app.OutboxAsync<PasswordResetRequested>()).Count);
        app.Time.Advance(TimeSpan.FromMinutes(61));
        await client.PostAsJsonAsync("/api/identity/password/reset-requests", new { email = "user@a81001.test" });
        Assert.Equal(4, (await app.OutboxAsync<PasswordResetRequested>()).Count);
    }

    [Fact]
    public async Task Reset_token_expires_after_an_hour()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/api/identity/password/reset-requests", new { email = "user@a81001.test" });
        var token = HttpUtility.ParseQueryString(Assert.Single(await app.OutboxAsync<PasswordResetRequested>()).ResetLink.Query)["token"]!;

        app.Time.Advance(TimeSpan.FromMinutes(61));
        using var late = await client.PostAsJsonAsync("/api/identity/password/resets", new { email = "user@a81001.test", token, newPassword = "recovered passphrase 2026" });

        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.True((await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).IsSuccess);
    }

    [Fact]
    public async Task Platform_admin_registers_a_practice_and_its_admin_invites_a_user_who_sets_a_password_with_the_link()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("admin@platform.test", PlatformRoles.PlatformAdmin, ods: null);
        using var admin = await app.ClientForAsync("admin@platform.test");

        using var registered = await admin.PostCreatingAsync("/api/identity/practices", new { ods = "a81001", name = "Demo Surgery", icb = "QWE", listSize = 9800 });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var practice = Assert.Single(await app.OutboxAsync<PracticeRegistered>());
        Assert.Equal(("A81001", "Demo Surgery", "QWE", 9800), (practice.PracticeOds, practice.Name, practice.Icb, practice.ListSize));
        using var duplicate = await admin.PostCreatingAsync("/api/identity/practices", new { ods = "A81001", name = "Again", icb = "QWE", listSize = 1 });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        using var invalid = await admin.PostCreatingAsync("/api/identity/practices", new { ods = "!", name = "", icb = "", listSize = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        // A code Submissions would refuse (it takes a letter and five digits) is refused here, not left unable to submit.
        using var notAGpCode = await admin.PostCreatingAsync("/api/identity/practices", new { ods = "BN000000", name = "Branch", icb = "QWE", listSize = 10 });
        Assert.Equal(HttpStatusCode.BadRequest, notAGpCode.StatusCode);
        Assert.Contains("invalid_ods", await notAGpCode.Content.ReadAsStringAsync());
        // Longer codes fit nowhere else: Payments and Submissions keep six characters and only take a letter and five digits.
        foreach (var ods in new[] { "ABC1234567", "AB1234", "1A2345" })
        {
            using var notAPractice = await admin.PostCreatingAsync("/api/identity/practices", new { ods, name = "Not A Practice", icb = "QWE", listSize = 1 });
            Assert.Equal(HttpStatusCode.BadRequest, notAPractice.StatusCode);
        }

        Assert.Single(await app.OutboxAsync<PracticeRegistered>());

        await app.CreateUserAsync("manager@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        using var manager = await app.ClientForAsync("manager@a81001.test");
        using var invited = await manager.PostCreatingAsync("/api/identity/practices/A81001/users", new { email = "new.user@a81001.test", displayName = "New User", role = PlatformRoles.PracticeUser });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);

        var invitation = Assert.Single(await app.OutboxAsync<UserInvited>());
        Assert.Equal(("new.user@a81001.test", "A81001", PlatformRoles.PracticeUser), (invitation.Email, invitation.PracticeOds, invitation.Role));
        Assert.Contains(await app.OutboxAsync<UserRegistered>(), registeredUser => registeredUser.Email == "new.user@a81001.test");
        var token = HttpUtility.ParseQueryString(invitation.SetPasswordLink.Query)["token"]!;

        using var accepted = await app.CreateClient().PostAsJsonAsync("/api/identity/invitations/accept", new { email = "new.user@a81001.test", token, newPassword = "my first passphrase here" });
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        var signIn = await app.PasswordGrantAsync("new.user@a81001.test", "my first passphrase here");
        Assert.True(signIn.IsSuccess, signIn.Raw);
        Assert.Equal("A81001", JwtPayload.Read(signIn.AccessToken!).GetProperty("practice").GetString());

        var users = await manager.GetFromJsonAsync<PageOf<PracticesApi.UserView>>("/api/identity/practices/A81001/users");
        Assert.Contains(users!.Items, user => user.Email == "new.user@a81001.test" && user.PasswordSet);
    }

    [Fact]
    public async Task Disabled_user_cannot_sign_in_or_refresh_and_UserDisabled_is_published()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        await app.CreateUserAsync("manager@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        var user = await app.CreateUserAsync("user@a81001.test");
        var session = await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password);
        using var manager = await app.ClientForAsync("manager@a81001.test");

        using var disabled = await manager.PostAsync($"/api/identity/practices/A81001/users/{user.Id}/disable", null);

        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.Equal(user.Id, Assert.Single(await app.OutboxAsync<UserDisabled>()).UserId);
        Assert.Equal("account_disabled", (await app.PasswordGrantAsync("user@a81001.test", IdentityApp.Password)).Code);
        Assert.Equal("invalid_grant", (await app.RefreshAsync(session.RefreshToken!)).Error);
    }

    [Fact]
    public async Task Another_practice_answers_404_and_a_practice_user_cannot_administer_their_own()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        await app.RegisterPracticeAsync("B82002");
        await app.CreateUserAsync("manager@b82002.test", PlatformRoles.PracticeAdmin, "B82002");
        await app.CreateUserAsync("user@a81001.test");
        using var otherManager = await app.ClientForAsync("manager@b82002.test");
        using var plainUser = await app.ClientForAsync("user@a81001.test");

        foreach (var path in new[] { "/api/identity/practices/A81001", "/api/identity/practices/A81001/users", "/api/identity/practices/A81001/credentials?expiringWithinDays=30" })
        {
            using var response = await otherManager.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var forbidden = await plainUser.GetAsync("/api/identity/practices/A81001/users");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var notAdmin = await plainUser.PostCreatingAsync("/api/identity/practices", new { ods = "C83003", name = "X", icb = "QWE", listSize = 1 });
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
    }

    [Fact]
    public async Task Practice_admin_sees_the_credentials_expiring_within_the_given_days()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        var start = app.Time.GetUtcNow();
        await app.CreateUserAsync("old@a81001.test");
        app.Time.SetUtcNow(start.AddDays(100));
        await app.CreateUserAsync("manager@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        app.Time.SetUtcNow(start.AddDays(160)); // old's password: 20 days left; the manager's: 120
        using var manager = await app.ClientForAsync("manager@a81001.test");

        var within30 = await manager.GetFromJsonAsync<PageOf<PracticesApi.CredentialView>>("/api/identity/practices/A81001/credentials?expiringWithinDays=30");

        var credential = Assert.Single(within30!.Items);
        Assert.Equal("old@a81001.test", credential.Owner);
        Assert.Equal(CredentialKinds.Password, credential.Kind);
        Assert.Equal(20, credential.DaysLeft);
        var within200 = await manager.GetFromJsonAsync<PageOf<PracticesApi.CredentialView>>("/api/identity/practices/A81001/credentials?expiringWithinDays=200");
        Assert.Equal((2, 2), (within200!.Items.Count, within200.Total));
    }

    [Fact]
    public async Task A_contact_change_missing_a_field_is_refused_and_changes_nothing()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.CreateUserAsync("user@a81001.test", ods: null);
        using var client = await app.ClientForAsync("user@a81001.test");

        using var empty = await client.PutAsJsonAsync("/api/identity/me/contact", new { unknown = 1 });
        using var nameOnly = await client.PutAsJsonAsync("/api/identity/me/contact", new { displayName = "Only A Name" });

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var errors = (await empty.ReadProblemAsync()).FieldErrors.Select(error => (error.Field, error.Code)).ToList();
        Assert.Equal([("email", "required"), ("displayName", "required")], errors);
        Assert.Equal(HttpStatusCode.BadRequest, nameOnly.StatusCode);
        Assert.Empty(await app.OutboxAsync<UserContactChanged>());
    }
}

public sealed class IdempotencyTests(MessagingServers servers)
{
    [Fact]
    public async Task Creating_posts_with_the_same_idempotency_key_create_once_and_replay_the_answer()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        await app.CreateUserAsync("manager@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        using var manager = await app.ClientForAsync("manager@a81001.test");

        async Task<HttpResponseMessage> InviteAsync(string key, string email)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/identity/practices/A81001/users")
            {
                Content = JsonContent.Create(new { email, displayName = "New User", role = PlatformRoles.PracticeUser }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await manager.SendAsync(request);
        }

        using var first = await InviteAsync("invite-1", "new.user@a81001.test");
        using var retry = await InviteAsync("invite-1", "new.user@a81001.test");
        using var different = await InviteAsync("invite-1", "someone.else@a81001.test");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.StatusCode);
        Assert.Single(await app.OutboxAsync<UserInvited>());

        using var client = new HttpRequestMessage(HttpMethod.Post, "/api/identity/practices/A81001/clients") { Content = JsonContent.Create(new { displayName = "Uploader" }) };
        client.Headers.Add("Idempotency-Key", "client-1");
        using var created = await manager.SendAsync(client);
        using var clientRetry = new HttpRequestMessage(HttpMethod.Post, "/api/identity/practices/A81001/clients") { Content = JsonContent.Create(new { displayName = "Uploader" }) };
        clientRetry.Headers.Add("Idempotency-Key", "client-1");
        using var replayed = await manager.SendAsync(clientRetry);

        var original = await created.Content.ReadFromJsonAsync<PracticesApi.ClientSecret>();
        var replay = await replayed.Content.ReadFromJsonAsync<PracticesApi.ClientSecret>();
        Assert.Equal(original!.ClientId, replay!.ClientId);
        Assert.NotNull(original.ClientSecretValue);
        Assert.Null(replay.ClientSecretValue); // never stored in clear
        var clients = await manager.GetFromJsonAsync<PageOf<PracticesApi.ClientView>>("/api/identity/practices/A81001/clients");
        Assert.Single(clients!.Items);
        Assert.Equal(1, clients.Total);
    }

    [Theory]
    [InlineData(null, "idempotency_key_required")]
    [InlineData("", "idempotency_key_required")]
    [InlineData("has space", "idempotency_key_invalid")]
    [InlineData("101-characters", "idempotency_key_invalid")]
    public async Task A_creating_post_without_a_well_formed_idempotency_key_is_refused_with_400(string? key, string code)
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        await app.CreateUserAsync("manager@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        using var manager = await app.ClientForAsync("manager@a81001.test");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/identity/practices/A81001/users")
        {
            Content = JsonContent.Create(new { email = "new.user@a81001.test", displayName = "New User", role = PlatformRoles.PracticeUser }),
        };
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key == "101-characters" ? new string('k', 101) : key);
        using var response = await manager.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await response.ReadProblemAsync()).Code);
        Assert.Empty(await app.OutboxAsync<UserInvited>());
    }
}
