using System.Diagnostics;
using System.Net;
using Platform.Resilience.Running;
using Platform.Resilience.Tenancy;
using Platform.Testing;

namespace Platform.Resilience.Faults;

/// <summary>
/// Each case puts a bounded load in flight - submissions (some amended at once, some waiting for a commissioner) and
/// credential warnings at every threshold - breaks one part of the running platform, mends it, and lets the checker
/// classify every item. A case passes only with nothing lost, nothing duplicated and nothing unexpected.
/// All cases run with two instances of Payments and of Identity (two ledger posters, two expiry scanners).
/// </summary>
public sealed class FaultCaseTests(ResiliencePlatform platform)
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(3);

    private sealed record Shape(int Singles, int Amended, int Approvals, int Warnings, TimeSpan Spacing);

    /// <summary>Eight items, one every half second: the first few are accepted before the fault, the rest are sent into it.</summary>
    private static readonly Shape Standard = new(Singles: 5, Amended: 2, Approvals: 1, Warnings: 5, Spacing: TimeSpan.FromMilliseconds(500));

    [Fact(Timeout = 600_000)]
    public Task Payments_killed_with_sigkill_mid_flight_loses_nothing_and_pays_each_version_once() =>
        RunCaseAsync(TestContext.Current.CancellationToken, "payments-sigkill", "every Payments instance killed with SIGKILL, then started again", Standard,
            async (context, cancellationToken) =>
            {
                // Killed with every accepted version already terminal, the case would show nothing about work in flight. A version
                // is paid within a few hundred milliseconds, so the kill waits for a moment when one is under way.
                var underWay = await context.UntilUnderWayAsync(cancellationToken);
                Assert.True(underWay > 0, "No accepted version was still under way when Payments was to be killed.");
                await platform.KillAndRestartAsync("payments", cancellationToken);
                context.Notes.Add($"accepted versions under way when killed: {underWay}");
            });

    [Fact(Timeout = 600_000)]
    public Task RabbitMq_stopped_and_started_then_its_connections_closed_loses_nothing() =>
        RunCaseAsync(TestContext.Current.CancellationToken, "rabbitmq-stop-start-close", "rabbitmqctl stop_app for 8 s, start_app, then close_all_connections while the backlog flows", Standard,
            async (context, cancellationToken) =>
            {
                var beforeStop = await platform.RabbitMqConnectionsAsync(cancellationToken);
                await platform.RabbitMqCtlAsync(["stop_app"], cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(8), cancellationToken);
                await platform.RabbitMqCtlAsync(["start_app"], cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
                var reopened = await ReconnectedAsync(beforeStop, cancellationToken);
                await platform.RabbitMqCtlAsync(["close_all_connections", "resilience test: connections closed"], cancellationToken);
                foreach (var service in ResiliencePlatform.Services) await platform.WaitUntilHealthyAsync(service, cancellationToken);
                var afterClose = await ReconnectedAsync(reopened, cancellationToken);

                // The fault took effect: the services were connected, and no connection outlived stop_app or close_all_connections.
                Assert.NotEmpty(beforeStop);
                Assert.Empty(beforeStop.Intersect(reopened));
                Assert.Empty(reopened.Intersect(afterClose));
                context.Notes.Add($"{beforeStop.Count} connections cut by stop_app, {reopened.Count} made again and closed, {afterClose.Count} made since");
            });

    [Fact(Timeout = 600_000)]
    public Task PostgreSQL_stopped_immediately_and_restarted_loses_nothing() =>
        RunCaseAsync(TestContext.Current.CancellationToken, "postgres-immediate-restart", "pg_ctl stop -m immediate (crash, no checkpoint), started again after 3 s", Standard,
            async (_, cancellationToken) =>
            {
                await platform.PostgresImmediateStopAsync(cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
                await platform.StartAsync("postgres", cancellationToken);
            });

    [Fact(Timeout = 600_000)]
    public Task Smtp_server_down_for_a_minute_delays_the_mail_and_sends_each_once() =>
        RunCaseAsync(TestContext.Current.CancellationToken, "smtp-down-a-minute", "smtp4dev stopped for 60 s, then started again", Standard,
            async (context, cancellationToken) =>
            {
                await platform.StopAsync("smtp4dev", cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(60), cancellationToken);
                await platform.StartAsync("smtp4dev", cancellationToken);

                // The outage was met: emails of the case were tried while the relay was down (and held, not failed).
                await using var command = platform.Database("notificationsdb").CreateCommand(
                    "SELECT count(DISTINCT email_id) FROM email_attempts WHERE attempted_at >= @since AND error LIKE 'relay unavailable:%'");
                command.Parameters.AddWithValue("since", context.Since);
                var held = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
                Assert.True(held > 0, "No email was tried while smtp4dev was down.");
                context.Notes.Add($"{held} emails found the relay down and waited");
            });

    [Fact(Timeout = 600_000)]
    public Task Redis_down_leaves_the_gateway_serving_with_per_replica_limits() =>
        RunCaseAsync(TestContext.Current.CancellationToken, "redis-down", "redis stopped while the load runs (sign-ins included), started again after it", Standard,
            async (context, cancellationToken) =>
            {
                await platform.StopAsync("redis", cancellationToken);
                try
                {
                    await GatewayServesWithoutRedisAsync(cancellationToken);
                    await context.Load.Completion.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
                }
                finally
                {
                    await platform.StartAsync("redis", cancellationToken);
                }
            });

    [Fact(Timeout = 600_000)]
    public Task Two_replicas_of_payments_and_of_the_expiry_scanner_race_and_every_event_delivered_twice_pays_and_warns_once() =>
        RunCaseAsync(TestContext.Current.CancellationToken, "two-replicas-racing",
            "a burst with two Payments instances consuming and posting and two Identity scanners scanning; once it settled, every outbox " +
            "row of the case marked unsent again in all four databases (a dispatcher that died between publishing and recording), so each " +
            "event reaches the competing consumers a second time with its MessageId",
            new Shape(Singles: 10, Amended: 4, Approvals: 2, Warnings: 5, Spacing: TimeSpan.FromMilliseconds(40)),
            async (context, cancellationToken) =>
            {
                foreach (var service in new[] { "payments", "identity" })
                {
                    Assert.Equal(ResiliencePlatform.RacingReplicas, platform.InstancesOf(service).Count(ResiliencePlatform.IsHealthy));
                }

                var queues = await platform.RabbitMqCtlAsync(["list_queues", "--quiet", "--no-table-headers", "name", "consumers"], cancellationToken);
                Assert.Contains($"payments-submission-accepted\t{ResiliencePlatform.RacingReplicas}", queues.Replace(' ', '\t'), StringComparison.Ordinal);

                await context.Load.Completion.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
                await context.WaitUntilSettledAsync();
                var republished = 0;
                foreach (var database in ResiliencePlatform.Databases)
                {
                    await using var command = platform.Database(database).CreateCommand(
                        "UPDATE outbox_messages SET sent_at = NULL, next_attempt_at = now() WHERE created_at >= @since AND sent_at IS NOT NULL");
                    command.Parameters.AddWithValue("since", context.Since);
                    republished += await command.ExecuteNonQueryAsync(cancellationToken);
                }

                Assert.True(republished > 0, "No event of the case was found to publish again.");
                context.Notes.Add($"{republished} events published a second time");
            });

    /// <summary>
    /// What a fault can use: the load, when the case began, a way to wait until its items settled, a way to wait until an
    /// accepted version is under way (its count, or 0 once the load ended without one), and notes for the record.
    /// </summary>
    private sealed record CaseContext(CaseLoad Load, DateTimeOffset Since, Func<Task> WaitUntilSettledAsync, Func<CancellationToken, Task<long>> UntilUnderWayAsync, List<string> Notes);

    private async Task RunCaseAsync(CancellationToken cancellationToken, string name, string fault, Shape shape, Func<CaseContext, CancellationToken, Task> breakIt)
    {
        var tenants = await platform.TenantsAsync(cancellationToken);
        var checker = new OutcomeChecker(platform);
        var deadLetters = await checker.DeadLettersAsync(cancellationToken);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var watch = Stopwatch.StartNew();

        var load = CaseLoad.Plan(platform, tenants, shape.Singles, shape.Amended, shape.Approvals);
        load.Start(shape.Spacing, cancellationToken);
        await load.InFlight.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        var warnings = await CredentialWarnings.BringForwardAsync(platform, tenants, shape.Warnings, cancellationToken);
        var faultBegan = DateTimeOffset.UtcNow;
        var (_, inFlight) = await InFlightAsync(load, faultBegan, cancellationToken);
        var context = new CaseContext(load, since, () => checker.SettleAsync(name, load, warnings, since, deadLetters, SettleTimeout, cancellationToken),
            token => UntilUnderWayAsync(load, token), []);
        try
        {
            await breakIt(context, cancellationToken);
        }
        catch when (!cancellationToken.IsCancellationRequested)
        {
            // A case that fails before its fault must still let its own load settle: payments made after the next case
            // began would be counted there as entries that case did not submit. The case's own failure is what it reports.
            try
            {
                await load.Completion.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
                await checker.SettleAsync(name, load, warnings, since, deadLetters, SettleTimeout, cancellationToken);
            }
            catch (Exception settling) when (settling is not OperationCanceledException)
            {
                RunLog.Write($"  {name}: its load did not settle after the case failed: {settling.Message}");
            }

            throw;
        }

        var mended = watch.Elapsed;
        await load.Completion.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);

        var report = await checker.SettleAsync(name, load, warnings, since, deadLetters, SettleTimeout, cancellationToken);
        report.Fault = context.Notes.Count == 0 ? fault : $"{fault}: {string.Join("; ", context.Notes)}";
        report.InFlightAtFault = inFlight;
        report.Duration = watch.Elapsed;
        report.SettledAfterFault = watch.Elapsed - mended;
        FaultRecord.Write(report);
        Assert.True(report.Passed, report.Summary());
    }

    /// <summary>What was under way when the fault began: accepted versions not yet terminal, and submissions still to be sent.</summary>
    private async Task<(long UnderWay, string Text)> InFlightAsync(CaseLoad load, DateTimeOffset faultBegan, CancellationToken cancellationToken)
    {
        var accepted = load.Items.SelectMany(item => item.Versions).Select(v => v.Id).ToArray();
        await using var command = platform.Database("submissionsdb").CreateCommand(
            "SELECT count(*) FROM submissions WHERE id = ANY(@ids) AND status NOT IN ('paid', 'rejected', 'declined', 'payment-failed', 'superseded')");
        command.Parameters.AddWithValue("ids", accepted);
        var underWay = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        var notSent = load.Items.Count(item => item.FirstSentAt is null || item.FirstSentAt > faultBegan);
        return (underWay, $"{underWay} of {accepted.Length} accepted versions not yet terminal, {notSent} of {load.Items.Count} submissions not yet sent, warnings due");
    }

    /// <summary>How many accepted versions are under way, polled until one is or the load has ended.</summary>
    private async Task<long> UntilUnderWayAsync(CaseLoad load, CancellationToken cancellationToken)
    {
        while (true)
        {
            var ended = load.Completion.IsCompleted;
            var (underWay, _) = await InFlightAsync(load, DateTimeOffset.UtcNow, cancellationToken);
            if (underWay > 0 || ended) return underWay;
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>The broker's connections once one is open that is not in <paramref name="earlier"/> (a service has connected again).</summary>
    private async Task<IReadOnlySet<string>> ReconnectedAsync(IReadOnlySet<string> earlier, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var connections = await platform.RabbitMqConnectionsAsync(cancellationToken);
            if (connections.Except(earlier).Any()) return connections;
            Assert.True(DateTime.UtcNow < deadline, "No service connected to RabbitMQ again within a minute.");
            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>With Redis down the gateway still signs people in and answers, and still limits sign-ins (per replica).</summary>
    private async Task GatewayServesWithoutRedisAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var health = await platform.Gateway.GetAsync("/health/ready", cancellationToken);
            var report = await health.Content.ReadAsStringAsync(cancellationToken);
            if (health.StatusCode == HttpStatusCode.OK && report.Contains("Degraded", StringComparison.Ordinal)) break;
            Assert.True(DateTime.UtcNow < deadline, $"The gateway's readiness did not show Redis degraded: {(int)health.StatusCode} {report}");
            await Task.Delay(500, cancellationToken);
        }

        var user = ApiClient.ForUser(platform.Gateway, Addresses.Next(), "user@b82002.demo", Tenants.DemoPassword);
        await user.GetOkAsync<PageOf<SubmissionSummary>>("/api/submissions?pageSize=1", cancellationToken);

        // The per-address sign-in limit (10 a minute) still holds, counted by the replica itself.
        var address = Addresses.Next();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var request = PasswordGrant.Request($"nobody-{i}@nowhere.test", "not the password at all", scope: null);
            using var response = await ApiClient.Anonymous(platform.Gateway, address).SendAsync(request, cancellationToken);
            answers.Add(response.StatusCode);
        }

        Assert.Equal(10, answers.Count(status => status == HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
    }
}
