using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Testing;

namespace Gateway.Tests;

public sealed class RateLimitTests(GatewayServers servers) : IAsyncLifetime
{
    private readonly GatewayFactory gateway = new(servers);

    private static StringContent SignInForm(string username) =>
        new($"grant_type=password&client_id=platform-cli&username={Uri.EscapeDataString(username)}&password=wrong", Encoding.UTF8,
            "application/x-www-form-urlencoded");

    [Fact]
    public async Task Sign_in_beyond_the_limit_from_one_address_is_429_problem_with_retry_after()
    {
        var client = gateway.ClientFrom(Addresses.Next());
        for (var attempt = 0; attempt < GatewayFactory.SignInLimit; attempt++)
        {
            var allowed = await client.PostAsync("/connect/token", SignInForm(Addresses.Username()), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var refused = await client.PostAsync("/connect/token", SignInForm(Addresses.Username()), TestContext.Current.CancellationToken);

        var (_, extensions) = await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests, "too_many_requests");
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.Equal((int)retryAfter.Value.TotalSeconds, extensions.RetryAfterSeconds);
    }

    [Fact]
    public async Task Sign_in_for_one_username_is_limited_even_from_many_addresses()
    {
        var username = Addresses.Username();
        for (var attempt = 0; attempt < GatewayFactory.SignInLimit; attempt++)
        {
            var allowed = await gateway.ClientFrom(Addresses.Next()).PostAsync("/connect/token", SignInForm(username), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var refused = await gateway.ClientFrom(Addresses.Next()).PostAsync("/connect/token", SignInForm(username.ToUpperInvariant()),
            TestContext.Current.CancellationToken);

        await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests, "too_many_requests");
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task Retry_after_says_when_the_window_ends_not_its_whole_length()
    {
        var email = Addresses.Username();
        await using var strict = new GatewayFactory(servers, new Dictionary<string, string?>
        {
            ["Gateway:RateLimits:Reset:PermitLimit"] = "1",
            ["Gateway:RateLimits:Reset:Window"] = "00:15:00",
        });
        async Task<HttpResponseMessage> AskAsync()
        {
            using var body = new StringContent(JsonSerializer.Serialize(new { email }), Encoding.UTF8, "application/json");
            return await strict.ClientFrom(Addresses.Next()).PostAsync("/api/identity/password/reset-requests", body, TestContext.Current.CancellationToken);
        }

        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await AskAsync()).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        var refused = await AskAsync();

        await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests, "too_many_requests");
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(880), TimeSpan.FromSeconds(898));
    }

    [Fact]
    public async Task Password_reset_requests_are_limited_per_email_from_json_bodies()
    {
        var email = Addresses.Username();
        var limit = 2;
        await using var strict = new GatewayFactory(servers, new Dictionary<string, string?> { ["Gateway:RateLimits:Reset:PermitLimit"] = $"{limit}" });
        HttpResponseMessage? last = null;
        for (var attempt = 0; attempt <= limit; attempt++)
        {
            using var body = new StringContent(JsonSerializer.Serialize(new { email }), Encoding.UTF8, "application/json");
            last = await strict.ClientFrom(Addresses.Next()).PostAsync("/api/identity/password/reset-requests", body, TestContext.Current.CancellationToken);
        }

        await Problem.AssertAsync(last!, HttpStatusCode.TooManyRequests, "too_many_requests");
    }

    [Fact]
    public async Task People_at_one_shared_address_can_each_reset_their_password_beyond_the_per_account_limit()
    {
        // A practice's staff (and the portal's users) share one address: the per-account limit carries the weight.
        var client = gateway.ClientFrom(Addresses.Next());
        var people = new Gateway.GatewayOptions().RateLimits.Reset.PermitLimit * 3;
        for (var person = 0; person < people; person++)
        {
            using var body = new StringContent(JsonSerializer.Serialize(new { email = Addresses.Username() }), Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/api/identity/password/reset-requests", body, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode != HttpStatusCode.TooManyRequests, $"Person {person + 1} at the shared address was refused.");
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d })] // {"\xff\xfe":1}: invalid UTF-8 in a property name
    [InlineData(new byte[] { 0x7b, 0x22, 0x65, 0x6d, 0x61, 0x69, 0x6c, 0x22, 0x3a, 0x22, 0x5c, 0x75, 0x64, 0x38, 0x30, 0x30, 0x22, 0x7d })] // {"email":"\ud800"}
    public async Task A_reset_body_whose_strings_cannot_be_read_is_passed_to_the_service_not_answered_500(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");

        var response = await gateway.ClientFrom(Addresses.Next()).PostAsync("/api/identity/password/reset-requests", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Two_gateway_instances_on_one_redis_share_one_sign_in_limit()
    {
        await using var second = new GatewayFactory(servers);
        var address = Addresses.Next();
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt <= GatewayFactory.SignInLimit; attempt++)
        {
            var replica = attempt % 2 == 0 ? gateway : second;
            var response = await replica.ClientFrom(address).PostAsync("/connect/token", SignInForm(Addresses.Username()), TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, GatewayFactory.SignInLimit), HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task The_api_is_limited_per_user()
    {
        await using var strict = new GatewayFactory(servers, new Dictionary<string, string?> { ["Gateway:RateLimits:Api:PermitLimit"] = "2" });
        var busy = strict.ClientFrom(Addresses.Next(), TestTokens.PracticeUser("A81001", $"busy-{Guid.NewGuid():N}"));
        var other = strict.ClientFrom(Addresses.Next(), TestTokens.PracticeUser("A81001", $"other-{Guid.NewGuid():N}"));

        Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/api/submissions/a", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/api/payments/b", TestContext.Current.CancellationToken)).StatusCode);
        var refused = await busy.GetAsync("/api/submissions/c", TestContext.Current.CancellationToken);
        var otherUser = await other.GetAsync("/api/submissions/d", TestContext.Current.CancellationToken);

        await Problem.AssertAsync(refused, HttpStatusCode.TooManyRequests, "too_many_requests");
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, otherUser.StatusCode);
    }

    [Fact]
    public async Task Two_replicas_share_the_api_limit_and_ask_redis_once_for_each_slice_of_ten_requests()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // A Redis of its own, so the scripts it ran are this test's.
        await using var redis = await Platform.Testing.RedisServer.StartAsync();
        var limit = 1_000; // a hundredth of it, 10 permits, is reserved at a time
        var settings = new Dictionary<string, string?> { ["Gateway:RateLimits:Api:PermitLimit"] = $"{limit}" };
        await using var first = new GatewayFactory(redis.ConnectionString, servers.Downstream.Address, settings);
        await using var second = new GatewayFactory(redis.ConnectionString, servers.Downstream.Address, settings);
        var token = TestTokens.PracticeUser("A81001", $"sliced-{Guid.NewGuid():N}");
        HttpClient[] replicas = [first.ClientFrom(Addresses.Next(), token), second.ClientFrom(Addresses.Next(), token)];

        var responses = new List<HttpResponseMessage>();
        for (var request = 0; request < limit + 10; request++)
        {
            responses.Add(await replicas[request % 2].GetAsync($"/api/submissions/sliced-{request}", cancellationToken));
        }

        // Taking turns, the replicas use up every slice they reserve: the limit is kept exactly, and then refused on both.
        Assert.Equal(limit, responses.TakeWhile(response => response.StatusCode == HttpStatusCode.OK).Count());
        Assert.All(responses.Skip(limit), response => Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode));
        Assert.InRange(responses[^1].Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        // One reservation per 10 requests allowed, and one per replica that found the window used up.
        Assert.Equal(limit / 10 + 2, await ScriptsRunAsync(redis));
    }

    [Fact]
    public async Task A_request_under_the_limit_is_let_through_when_its_slice_is_reserved_as_the_window_ends()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var redis = await Platform.Testing.RedisServer.StartAsync();
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        // Windows of a few milliseconds, so many reservations meet a window with (next to) no time left.
        var rule = new RateLimitRule { PermitLimit = 1_000_000, Window = TimeSpan.FromMilliseconds(3) };
        using var limiter = new Security.SlicedRedisWindowLimiter($"test:{Guid.NewGuid():N}", rule, connection);

        var refused = 0;
        for (var request = 0; request < 5_000; request++)
        {
            using var lease = await limiter.AcquireAsync(1, cancellationToken);
            if (!lease.IsAcquired) refused++;
        }

        // Nowhere near the limit: a refusal here was a 429 with "try again in 60 seconds" for a user who had used nothing.
        Assert.Equal(0, refused);
    }

    private static async Task<long> ScriptsRunAsync(Platform.Testing.RedisServer redis)
    {
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true");
        var stats = await connection.GetServer(redis.ConnectionString).InfoAsync("commandstats");
        return stats.SelectMany(group => group)
            .Where(stat => stat.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(stat => long.Parse(stat.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task With_redis_down_the_api_keeps_working_with_per_replica_limits_and_health_says_degraded()
    {
        await using var noRedis = new GatewayFactory($"127.0.0.1:{GatewayFactory.ClosedPort},connectTimeout=500", servers.Downstream.Address);

        var api = await noRedis.ClientFrom(Addresses.Next(), TestTokens.PracticeUser("A81001", "redis-down")).GetAsync("/api/submissions/redis-down",
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);

        var client = noRedis.ClientFrom(Addresses.Next());
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt <= GatewayFactory.SignInLimit; attempt++)
        {
            statuses.Add((await client.PostAsync("/connect/token", SignInForm(Addresses.Username()), TestContext.Current.CancellationToken)).StatusCode);
        }
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, GatewayFactory.SignInLimit), HttpStatusCode.TooManyRequests], statuses);

        var health = await noRedis.CreateClient().GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var report = await health.Content.ReadFromJsonAsync<HealthReportBody>(TestContext.Current.CancellationToken);
        Assert.Equal("Degraded", report!.Checks["redis"].Status);
    }

    [Fact]
    public async Task When_redis_stops_mid_flight_the_api_keeps_working_and_health_says_degraded()
    {
        var redis = await Platform.Testing.RedisServer.StartAsync();
        await using var own = new GatewayFactory(redis.ConnectionString, servers.Downstream.Address);
        var client = own.ClientFrom(Addresses.Next(), TestTokens.PracticeUser("A81001", $"outage-{Guid.NewGuid():N}"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/submissions/before-outage", TestContext.Current.CancellationToken)).StatusCode);

        await redis.DisposeAsync();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var during = await client.GetAsync($"/api/submissions/during-outage-{attempt}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        }
        var health = await own.CreateClient().GetAsync("/health/ready", TestContext.Current.CancellationToken);
        var report = await health.Content.ReadFromJsonAsync<HealthReportBody>(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Degraded", report!.Checks["redis"].Status);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await gateway.DisposeAsync();
}
