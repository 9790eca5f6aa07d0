using System.Net.Http.Json;
using System.Text.Json;
using Identity.Api.Application;
using Identity.Api.Data;
using Identity.Api.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Contracts.Identity;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Identity.Tests;

public sealed class ExpiryScannerTests(MessagingServers servers)
{
    [Fact]
    public async Task Each_threshold_is_warned_exactly_once_and_the_near_ones_also_go_to_practice_admins()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        await app.RegisterPracticeAsync("A81001");
        var start = app.Time.GetUtcNow();
        var user = await app.CreateUserAsync("user@a81001.test");
        await SeedUsersAsync(app, 1, start.AddDays(1000), ods: "A81001", role: PlatformRoles.PracticeAdmin, prefix: "manager"); // an admin whose password expires much later
        var telemetry = app.Services.GetRequiredService<CredentialTelemetry>();
        var counted = new System.Collections.Concurrent.ConcurrentQueue<(string? Kind, int Threshold)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter == telemetry.Meter) l.EnableMeasurementEvents(instrument); },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name != CredentialTelemetry.ExpiringName) return;
            var kind = tags.ToArray().Single(tag => tag.Key == "kind").Value as string;
            var threshold = (int)tags.ToArray().Single(tag => tag.Key == "threshold_days").Value!;
            for (var i = 0; i < value; i++) counted.Enqueue((kind, threshold));
        });
        listener.Start();

        foreach (var day in new[] { 149, 150, 160, 166, 170, 173, 176, 179, 179.5, 180, 200 })
        {
            app.Time.SetUtcNow(start.AddDays(day));
            await ScanAsync(app);
            await ScanAsync(app); // a second scan at the same moment finds nothing new
        }

        var expiring = (await app.OutboxAsync<CredentialExpiring>()).Where(notice => notice.CredentialId == user.Id).ToList();
        Assert.Equal([30, 14, 7, 1], expiring.Select(notice => notice.ThresholdDays));
        Assert.All(expiring, notice =>
        {
            Assert.Equal(CredentialKinds.Password, notice.Kind);
            Assert.Equal("user@a81001.test", notice.Email);
            Assert.Equal("A81001", notice.PracticeOds);
            Assert.Equal(user.Id, notice.OwnerUserId);
            Assert.Equal(1, notice.Version);
            Assert.Equal(start.AddDays(180), notice.ExpiresAt);
        });
        Assert.Empty(expiring[0].PracticeAdminEmails);
        Assert.Empty(expiring[1].PracticeAdminEmails);
        Assert.Equal(["manager0@a81001.test"], expiring[2].PracticeAdminEmails);
        Assert.Equal(["manager0@a81001.test"], expiring[3].PracticeAdminEmails);

        var expired = Assert.Single(await app.OutboxAsync<CredentialExpired>(), notice => notice.CredentialId == user.Id);
        Assert.Equal(["manager0@a81001.test"], expired.PracticeAdminEmails);
        Assert.Equal(5, await app.InDbAsync(db => db.CredentialNotices.CountAsync(notice => notice.CredentialId == user.Id)));
        // The metric counts each warning once, by kind and threshold, as an SRE reads it.
        Assert.Equal([(CredentialKinds.Password, 30), (CredentialKinds.Password, 14), (CredentialKinds.Password, 7), (CredentialKinds.Password, 1), (CredentialKinds.Password, 0)],
            counted.ToArray());
    }

    [Fact]
    public async Task A_credential_found_past_several_thresholds_gets_only_the_nearest()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        var start = app.Time.GetUtcNow();
        var user = await app.CreateUserAsync("user@a81001.test", ods: null);

        app.Time.SetUtcNow(start.AddDays(175)); // 30, 14 and 7 days before expiry have all passed
        await ScanAsync(app);

        var notice = Assert.Single(await app.OutboxAsync<CredentialExpiring>());
        Assert.Equal(7, notice.ThresholdDays);
        Assert.Equal(user.Id, notice.CredentialId);
    }

    [Fact]
    public async Task Changing_the_password_bumps_its_version_and_stops_the_warnings()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        var start = app.Time.GetUtcNow();
        var user = await app.CreateUserAsync("user@a81001.test", ods: null);
        app.Time.SetUtcNow(start.AddDays(151));
        await ScanAsync(app);
        Assert.Equal(30, Assert.Single(await app.OutboxAsync<CredentialExpiring>()).ThresholdDays);

        using (var client = await app.ClientForAsync("user@a81001.test"))
        {
            using var change = await client.PostAsJsonAsync("/api/identity/password/change", new { currentPassword = IdentityApp.Password, newPassword = "the next passphrase here" });
            Assert.Equal(System.Net.HttpStatusCode.NoContent, change.StatusCode);
        }

        foreach (var day in new[] { 166, 173, 179, 180, 200 })
        {
            app.Time.SetUtcNow(start.AddDays(day));
            await ScanAsync(app);
        }

        Assert.Single(await app.OutboxAsync<CredentialExpiring>());
        Assert.Empty(await app.OutboxAsync<CredentialExpired>());

        // The new version is warned on its own schedule.
        app.Time.SetUtcNow(start.AddDays(151 + 150));
        await ScanAsync(app);
        var second = (await app.OutboxAsync<CredentialExpiring>()).Last();
        Assert.Equal((30, 2), (second.ThresholdDays, second.Version));
        Assert.Equal(user.Id, second.CredentialId);
    }

    [Fact]
    public async Task Two_scanners_at_once_warn_once_and_a_rescan_of_recorded_notices_publishes_nothing()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        var now = app.Time.GetUtcNow();
        await SeedUsersAsync(app, 300, now.AddDays(20)); // all due for their 30-day notice

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => ScanAsync(app))));

        Assert.Equal(300, results.Sum(result => result.NoticesPublished));
        Assert.Equal(300, (await app.OutboxAsync<CredentialExpiring>()).Count);

        // Even if the schedule were lost, the unique (credential, version, threshold) key keeps each notice single.
        await app.InDbAsync(db => db.Users.ExecuteUpdateAsync(update => update.SetProperty(user => user.NextExpiryNoticeAt, now)));
        var rescan = await ScanAsync(app);
        Assert.Equal(300, rescan.CredentialsRead);
        Assert.Equal(0, rescan.NoticesPublished);
        Assert.Equal(300, (await app.OutboxAsync<CredentialExpiring>()).Count);
    }

    [Fact]
    public async Task A_scan_over_100000_credentials_reads_only_the_due_ones_through_the_index()
    {
        await using var app = await IdentityApp.StartAsync(servers);
        var now = app.Time.GetUtcNow();
        await SeedUsersAsync(app, 100_000, now.AddDays(90), prefix: "later");  // first notice in 60 days
        await SeedUsersAsync(app, 7, now.AddDays(10), prefix: "due");          // 30-day notice due now
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var analyze = new NpgsqlCommand("ANALYZE users", connection);
            await analyze.ExecuteNonQueryAsync();

            var duePasswords = await app.InDbAsync(db => Task.FromResult(CredentialExpiryScanner.DuePasswordsSql(db)));
            await using var explain = new NpgsqlCommand($"EXPLAIN (ANALYZE, FORMAT JSON) {duePasswords}", connection);
            explain.Parameters.AddWithValue("now", now);
            explain.Parameters.AddWithValue("limit", 500);
            var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!).RootElement[0].GetProperty("Plan");
            var nodes = Flatten(plan).ToList();

            Assert.DoesNotContain(nodes, node => node.GetProperty("Node Type").GetString() == "Seq Scan");
            var scan = Assert.Single(nodes, node => node.TryGetProperty("Index Name", out _));
            Assert.Equal("ix_users_next_expiry_notice_at", scan.GetProperty("Index Name").GetString());
            Assert.Equal(7, scan.GetProperty("Actual Rows").GetInt32());
        }

        var result = await ScanAsync(app);

        Assert.Equal(7, result.CredentialsRead);
        Assert.Equal(7, result.NoticesPublished);
    }

    [Fact]
    public async Task Client_secret_notices_always_go_to_the_practice_admins()
    {
        await using var app = await IdentityApp.StartAsync(servers, new() { ["Identity:Credentials:PasswordLifetime"] = "800.00:00:00" });
        await app.RegisterPracticeAsync("A81001");
        var start = app.Time.GetUtcNow();
        await app.CreateUserAsync("manager@a81001.test", PlatformRoles.PracticeAdmin, "A81001");
        var (client, _) = await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<IdentityDbContext>();
            var practice = await db.Practices.SingleAsync(practice => practice.Ods == "A81001");
            return await services.GetRequiredService<Identity.Api.Application.AccountService>().CreateSystemClientAsync(practice, "Uploader", null, CancellationToken.None);
        });

        app.Time.SetUtcNow(start.AddDays(365 - 29));
        await ScanAsync(app);

        var notice = Assert.Single(await app.OutboxAsync<CredentialExpiring>());
        Assert.Equal((CredentialKinds.ClientSecret, 30, client.Id), (notice.Kind, notice.ThresholdDays, notice.CredentialId));
        Assert.Equal(["manager@a81001.test"], notice.PracticeAdminEmails);
    }

    private static Task<ExpiryScanResult> ScanAsync(IdentityApp app) =>
        app.InScopeAsync(services => services.GetRequiredService<CredentialExpiryScanner>().ScanAsync(CancellationToken.None));

    /// <summary>Inserts users straight into the table (no password hashing): what the scanner reads is the schedule.</summary>
    private static async Task SeedUsersAsync(IdentityApp app, int count, DateTimeOffset expiresAt, string? ods = null, string role = PlatformRoles.PracticeUser, string prefix = "user")
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO users (id, display_name, role, practice_ods, created_at, password_changed_at, password_expires_at,
                               credential_version, next_expiry_notice_at, user_name, normalized_user_name, email, normalized_email,
                               email_confirmed, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count)
            SELECT gen_random_uuid(), @prefix || n, @role, @ods, @now, @now, @expires, 1, @expires - interval '30 days',
                   @prefix || n || @domain, upper(@prefix || n || @domain), @prefix || n || @domain, upper(@prefix || n || @domain),
                   true, false, false, true, 0
            FROM generate_series(0, @count - 1) AS n
            """, connection);
        command.Parameters.AddWithValue("prefix", prefix);
        command.Parameters.AddWithValue("role", role);
        command.Parameters.AddWithValue("ods", (object?)ods ?? DBNull.Value);
        command.Parameters.AddWithValue("now", app.Time.GetUtcNow());
        command.Parameters.AddWithValue("expires", expiresAt);
        command.Parameters.AddWithValue("domain", ods is null ? "@bulk.test" : $"@{ods.ToLowerInvariant()}.test");
        command.Parameters.AddWithValue("count", count);
        await command.ExecuteNonQueryAsync();
    }

    private static IEnumerable<JsonElement> Flatten(JsonElement node)
    {
        yield return node;
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray().SelectMany(Flatten))
            {
                yield return child;
            }
        }
    }
}
