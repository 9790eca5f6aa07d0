using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Telemetry;
using Platform.Contracts.Identity;
using static Payments.Tests.TestData;

namespace Payments.Tests;

/// <summary>What an SRE reads on the Payments meter: payments settled (count and pounds) and payments waiting for a commissioner.</summary>
public sealed class PaymentMetricsTests(SharedPayments shared) : IClassFixture<SharedPayments>
{
    private readonly PaymentsApiFactory factory = shared.Factory;

    [Fact]
    public async Task Settled_payments_are_counted_with_their_amount_and_waiting_ones_per_icb()
    {
        var metrics = factory.Services.GetRequiredService<PaymentMetrics>();
        var seen = new ConcurrentQueue<(string Name, double Value, string? Tag)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter == metrics.Meter) l.EnableMeasurementEvents(instrument); },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => seen.Enqueue((instrument.Name, value, FirstTag(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => seen.Enqueue((instrument.Name, value, FirstTag(tags))));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => seen.Enqueue((instrument.Name, value, FirstTag(tags))));
        listener.Start();

        var ods = NewOds();
        await factory.Bus.Deliver(new PracticeRegistered(ods, "Metered Surgery", "QWE", 9_720, PaymentsApiFactory.Today));
        var flu = Flu(ods, 120);
        await factory.Bus.Deliver(flu);
        var paid = await factory.WaitForStatus(flu.SubmissionId, 1, "paid");
        var qof = Qof(ods);
        await factory.Bus.Deliver(qof);
        await factory.WaitForStatus(qof.SubmissionId, 1, "awaiting-approval");
        // The practice may arrive after the submission (another queue): its payment then gets the ICB.
        await factory.WaitForPayments(qof.SubmissionId, payments => payments.Single().Icb == "QWE");
        await factory.Services.GetRequiredService<AwaitingApprovalSampler>().SampleAsync(Cancel);
        listener.RecordObservableInstruments();

        Assert.Equal(1, seen.Where(m => m.Name == PaymentMetrics.SettledName && m.Tag == "FLU").Sum(m => m.Value));
        Assert.Equal((double)paid.Amount, seen.Where(m => m.Name == PaymentMetrics.SettledAmountName && m.Tag == "FLU").Sum(m => m.Value));
        Assert.Contains(seen, m => m.Name == PaymentMetrics.AwaitingApprovalName && m.Tag == "QWE" && m.Value >= 1);
    }

    private static string? FirstTag(ReadOnlySpan<KeyValuePair<string, object?>> tags) => tags.Length > 0 ? tags[0].Value?.ToString() : null;
}
