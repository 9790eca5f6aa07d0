using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Platform.Contracts.Submissions;

namespace Payments.Tests;

public static class TestData
{
    private static int next = Random.Shared.Next(10_000, 90_000);

    public static string NewOds() => $"T{Interlocked.Increment(ref next) % 100_000:00000}";

    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>
    /// How tests read the service's answers into its records: the web defaults it writes with, strict about constructor
    /// parameters, so a body without a field the record needs (a problem where a payment was expected) fails instead of
    /// reading as defaults.
    /// </summary>
    // Strict as a client may be: a missing required member or a member written twice fails the read.
    public static readonly JsonSerializerOptions ApiJson =
        new(JsonSerializerOptions.Web) { RespectRequiredConstructorParameters = true, AllowDuplicateProperties = false };

    /// <summary>Reads the response as the service's record <typeparamref name="T"/>.</summary>
    public static async Task<T> Read<T>(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<T>(ApiJson, Cancel)
        ?? throw new InvalidOperationException($"{(int)response.StatusCode} with an empty body, not a {typeof(T).Name}.");

    /// <summary>GETs <paramref name="url"/> (failing unless it succeeds) as the service's record <typeparamref name="T"/>.</summary>
    public static async Task<T> Get<T>(this HttpClient client, string url) =>
        await client.GetFromJsonAsync<T>(url, ApiJson, Cancel)
        ?? throw new InvalidOperationException($"{url} answered an empty body.");

    /// <summary>A 409 about a payment not in the state the action needs: its code and the payment's status now.</summary>
    public sealed record PaymentConflict(string Code, string PaymentStatus);

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
