using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Payments;
using Platform.Testing;
using Submissions.Api.Telemetry;
using static Submissions.Tests.TestApi;

namespace Submissions.Tests;

/// <summary>What an SRE reads on the Submissions meter: accepted and rejected submissions by service, and the time to an outcome.</summary>
public sealed class SubmissionMetricsTests(SharedApp app) : IClassFixture<SharedApp>
{
    private readonly SubmissionsApiFactory factory = app.Factory;

    [Fact]
    public async Task Accepted_rejected_and_time_to_outcome_are_counted_by_service_code()
    {
        var ods = NewOds();
        var client = factory.ClientFor(TestTokens.PracticeUser(ods));
        var metrics = factory.Services.GetRequiredService<SubmissionMetrics>();
        var seen = new ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter == metrics.Meter) l.EnableMeasurementEvents(instrument); },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => seen.Enqueue((instrument.Name, value, Copy(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => seen.Enqueue((instrument.Name, value, Copy(tags))));
        listener.Start();

        var receipt = await (await client.Submit(Flu(ods))).Receipt();
        var id = receipt.Id;
        using var invalid = await client.Submit(new { practiceOds = ods, serviceCode = "FLU", period = "2026-10", values = new[] { new { indicator = "NOPE", value = 1 } } });
        Assert.Equal(400, (int)invalid.StatusCode);

        factory.Time.Advance(TimeSpan.FromSeconds(90));
        PaymentLine[] lines = [new("FLU_65_PLUS", 120, 10.06m, 1207.20m)];
        var paymentId = Guid.NewGuid();
        await factory.Bus.Publish(new PaymentCalculated(paymentId, id, 1, ods, "FLU", "2026-10", 1207.20m, "GBP", lines, false, factory.Time.GetUtcNow()), Cancel);
        await client.WaitForStatus(id, "calculated");
        await factory.Bus.Publish(new PaymentSettled(paymentId, id, 1, ods, "FLU", "2026-10", 1207.20m, "GBP", lines, $"{ods}-1", factory.Time.GetUtcNow()), Cancel);
        await client.WaitForStatus(id, "paid");

        // Counted just after the commit the status shows.
        for (var i = 0; i < 100 && !seen.Any(m => m.Name == SubmissionMetrics.TimeToOutcomeName); i++) await Task.Delay(50, Cancel);
        Assert.Equal(1, seen.Where(m => m.Name == SubmissionMetrics.AcceptedName && Equals(m.Tags["service_code"], "FLU")).Sum(m => m.Value));
        var rejected = Assert.Single(seen, m => m.Name == SubmissionMetrics.RejectedName);
        Assert.Equal(("FLU", "intake", "validation_failed"), (rejected.Tags["service_code"], rejected.Tags["stage"], rejected.Tags["reason"]));
        var outcome = Assert.Single(seen, m => m.Name == SubmissionMetrics.TimeToOutcomeName);
        Assert.Equal(90, outcome.Value);
        Assert.Equal(("FLU", "paid"), (outcome.Tags["service_code"], outcome.Tags["outcome"]));
    }

    private static Dictionary<string, object?> Copy(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags) copy[tag.Key] = tag.Value;
        return copy;
    }
}
