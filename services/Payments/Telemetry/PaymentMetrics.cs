using System.Diagnostics.Metrics;
using Platform.ServiceDefaults;

namespace Payments.Api.Telemetry;

/// <summary>
/// The Payments service's instruments on the platform's <c>Platform</c> meter:
/// <list type="bullet">
/// <item><c>platform.payments.settled</c> and <c>platform.payments.settled.amount</c> (pounds): payments posted to the ledger, by <c>service_code</c>.</item>
/// <item><c>platform.payments.failed</c>: payments given up on after the last posting attempt (payment-failed), by <c>service_code</c>.</item>
/// <item><c>platform.payments.awaiting_approval</c>: payments waiting for a commissioner, by <c>icb</c>, at the last sample.</item>
/// </list>
/// </summary>
public sealed class PaymentMetrics
{
    public const string SettledName = "platform.payments.settled";
    public const string SettledAmountName = "platform.payments.settled.amount";
    public const string FailedName = "platform.payments.failed";
    public const string AwaitingApprovalName = "platform.payments.awaiting_approval";

    private readonly Counter<long> settled;
    private readonly Counter<double> settledAmount;
    private readonly Counter<long> failed;
    private volatile IReadOnlyDictionary<string, int>? awaiting;

    public PaymentMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(TelemetryDefaults.PlatformTelemetryName);
        settled = Meter.CreateCounter<long>(SettledName, "{payment}", "Payments posted to the ledger.");
        settledAmount = Meter.CreateCounter<double>(SettledAmountName, "{GBP}", "Pounds sterling posted to the ledger.");
        failed = Meter.CreateCounter<long>(FailedName, "{payment}", "Payments given up on after the last posting attempt (payment-failed).");
        Meter.CreateObservableGauge(AwaitingApprovalName, ObserveAwaiting, "{payment}", "Payments waiting for a commissioner's decision, at the last sample.");
    }

    public Meter Meter { get; }

    public void Settled(string serviceCode, decimal amount)
    {
        settled.Add(1, new KeyValuePair<string, object?>("service_code", serviceCode));
        settledAmount.Add((double)amount, new KeyValuePair<string, object?>("service_code", serviceCode));
    }

    public void Failed(string serviceCode) => failed.Add(1, new KeyValuePair<string, object?>("service_code", serviceCode));

    /// <summary>Payments awaiting approval per ICB, as <see cref="AwaitingApprovalSampler"/> last counted them.</summary>
    public void SampledAwaiting(IReadOnlyDictionary<string, int> byIcb) => awaiting = byIcb;

    private IEnumerable<Measurement<int>> ObserveAwaiting() =>
        awaiting is { } byIcb ? byIcb.Select(entry => new Measurement<int>(entry.Value, new KeyValuePair<string, object?>("icb", entry.Key))) : [];
}
