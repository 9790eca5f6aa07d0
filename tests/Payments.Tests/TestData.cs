using MassTransit;
using Platform.Contracts.Submissions;

namespace Payments.Tests;

public static class TestData
{
    private static int next = Random.Shared.Next(10_000, 90_000);

    public static string NewOds() => $"T{Interlocked.Increment(ref next) % 100_000:00000}";

    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static SubmissionAccepted Accepted(string ods, string service, string period, params (string Indicator, decimal Value)[] values) =>
        Accepted(Guid.CreateVersion7(), 1, ods, service, period, values);

    public static SubmissionAccepted Accepted(Guid submissionId, int version, string ods, string service, string period,
        params (string Indicator, decimal Value)[] values) =>
        new(submissionId, version, ods, service, period, [.. values.Select(v => new IndicatorValue(v.Indicator, v.Value))],
            new string('a', 64), PaymentsApiFactory.Today, $"user-{ods}", version > 1 ? version - 1 : null,
            Payments.Api.Domain.PaymentCalculator.FinancialYearOf(period));

    public static SubmissionAccepted Flu(string ods, decimal count = 120) => Accepted(ods, "FLU", "2026-10", ("FLU_65_PLUS", count));

    public static SubmissionAccepted Qof(string ods, decimal points = 20) => Accepted(ods, "QOF", "2026-Q2", ("AF008", points));

    public static Task Deliver<T>(this IBus bus, T message, Guid? messageId = null) where T : class =>
        bus.Publish(message, context => context.MessageId = messageId ?? NewId.NextGuid(), Cancel);
}
