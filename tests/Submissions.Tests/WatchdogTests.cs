using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Payments;
using Platform.Testing;
using Submissions.Api.Apis;
using Submissions.Api.Jobs;
using Submissions.Api.Telemetry;
using static Submissions.Tests.TestApi;

namespace Submissions.Tests;

public sealed class WatchdogTests(MessagingServers servers) : IAsyncLifetime
{
    private SubmissionsApiFactory factory = null!;
    private readonly string ods = NewOds();

    public async ValueTask InitializeAsync() => factory = await SubmissionsApiFactory.CreateAsync(servers);

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    private Task<long> StalledEvents() => factory.CountAsync(
        "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'Platform.Contracts.Submissions.SubmissionStalled,%'");

    [Fact]
    public async Task A_submission_without_an_outcome_after_the_sla_is_reported_stalled_once_and_counted()
    {
        var client = factory.ClientFor(TestTokens.PracticeUser(ods));
        var stuck = (await (await client.Submit(Flu(ods))).Receipt()).Id;
        var waiting = (await (await client.Submit(Flu(ods, period: "2026-09"))).Receipt()).Id;
        await factory.Bus.Publish(new PaymentAwaitingApproval(Guid.NewGuid(), waiting, 1, ods, "QWE", "FLU", "2026-09", 10m, "GBP", "test",
            SubmissionsApiFactory.Today.AddDays(2), 0), Cancel);
        await client.WaitForStatus(waiting, "awaiting-approval");
        var watchdog = factory.Services.GetRequiredService<StalledSubmissionWatchdog>();
        var metrics = factory.Services.GetRequiredService<SubmissionMetrics>();
        long counted = 0, gauge = -1;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter == metrics.Meter) l.EnableMeasurementEvents(instrument); },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == SubmissionMetrics.StalledCounterName) Interlocked.Add(ref counted, value);
            if (instrument.Name == SubmissionMetrics.StalledGaugeName) Interlocked.Exchange(ref gauge, value);
        });
        listener.Start();

        factory.Time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, await watchdog.RunOnceAsync(Cancel));

        factory.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await watchdog.RunOnceAsync(Cancel));
        Assert.Equal(0, await watchdog.RunOnceAsync(Cancel));

        Assert.Equal(1, await StalledEvents());
        Assert.Equal(1, await factory.CountAsync(
            $"SELECT count(*) FROM outbox_messages WHERE body->>'submissionId' = '{stuck}' AND body->>'status' = 'validated'"));
        Assert.Equal(1, Interlocked.Read(ref counted));
        listener.RecordObservableInstruments();
        Assert.Equal(1, Interlocked.Read(ref gauge));
        var view = await client.Get<SubmissionView>($"/api/submissions/{stuck}");
        Assert.Equal(SubmissionsApiFactory.Today.AddMinutes(11), view.StalledAt);
    }

    [Fact]
    public async Task Two_watchdogs_running_at_once_report_a_stalled_submission_once()
    {
        var client = factory.ClientFor(TestTokens.PracticeUser(ods));
        for (var i = 0; i < 5; i++) await client.Submit(Flu(ods, i + 1));
        factory.Time.Advance(TimeSpan.FromMinutes(11));
        var watchdog = factory.Services.GetRequiredService<StalledSubmissionWatchdog>();

        var runs = await Task.WhenAll(watchdog.RunOnceAsync(Cancel), watchdog.RunOnceAsync(Cancel), watchdog.RunOnceAsync(Cancel));

        Assert.Equal(5, runs.Sum());
        Assert.Equal(5, await StalledEvents());
    }

    [Fact]
    public async Task A_paid_submission_is_never_reported()
    {
        var client = factory.ClientFor(TestTokens.PracticeUser(ods));
        var id = (await (await client.Submit(Flu(ods))).Receipt()).Id;
        await factory.Bus.Publish(new PaymentSettled(Guid.NewGuid(), id, 1, ods, "FLU", "2026-10", 1m, "GBP", [new PaymentLine("FLU_65_PLUS", 1, 1m, 1m)],
            $"{ods}-0000000000", SubmissionsApiFactory.Today), Cancel);
        await client.WaitForStatus(id, "paid");
        factory.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await factory.Services.GetRequiredService<StalledSubmissionWatchdog>().RunOnceAsync(Cancel));
    }
}
