using System.Net.Http.Json;
using System.Text.Json;
using Platform.Testing;
using Submissions.Api.Apis;

namespace Submissions.Tests;

/// <summary>Small helpers the integration tests share.</summary>
public static class TestApi
{
    private static int next = Random.Shared.Next(10_000, 90_000);

    /// <summary>A practice code no other test uses, so tests sharing a database never see each other's data.</summary>
    public static string NewOds() => $"T{Interlocked.Increment(ref next) % 100_000:00000}";

    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static object Flu(string ods, decimal over65 = 120, string period = "2026-10") => new
    {
        practiceOds = ods,
        serviceCode = "FLU",
        period,
        values = new[] { new { indicator = "FLU_65_PLUS", value = over65 } },
    };

    public static async Task<HttpResponseMessage> Submit(this HttpClient client, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/submissions") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return await client.SendAsync(request, Cancel);
    }

    /// <summary>
    /// How tests read the service's answers into its records: the web defaults it writes with, strict about constructor
    /// parameters, so a body without a field the record needs (a problem where a receipt was expected) fails instead of
    /// reading as defaults.
    /// </summary>
    public static readonly JsonSerializerOptions ApiJson =
        new(JsonSerializerOptions.Web) { RespectRequiredConstructorParameters = true };

    /// <summary>Reads the response as the service's record <typeparamref name="T"/>.</summary>
    public static async Task<T> Read<T>(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<T>(ApiJson, Cancel)
        ?? throw new InvalidOperationException($"{(int)response.StatusCode} with an empty body, not a {typeof(T).Name}.");

    /// <summary>Reads the answer to a submission as its receipt.</summary>
    public static Task<SubmissionReceipt> Receipt(this HttpResponseMessage response) => response.Read<SubmissionReceipt>();

    /// <summary>GETs <paramref name="url"/> (failing unless it succeeds) as the service's record <typeparamref name="T"/>.</summary>
    public static async Task<T> Get<T>(this HttpClient client, string url) =>
        await client.GetFromJsonAsync<T>(url, ApiJson, Cancel)
        ?? throw new InvalidOperationException($"{url} answered an empty body.");

    /// <summary>Reads the submission until <paramref name="until"/> holds (events arrive asynchronously), failing after 30 s.</summary>
    public static async Task<SubmissionView> WaitFor(this HttpClient client, Guid id, Func<SubmissionView, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var submission = await client.Get<SubmissionView>($"/api/submissions/{id}");
            if (until(submission)) return submission;
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Submission {id} never got there; last seen: {JsonSerializer.Serialize(submission, ApiJson)}");
            }
            await Task.Delay(50, Cancel);
        }
    }

    public static Task<SubmissionView> WaitForStatus(this HttpClient client, Guid id, string status) =>
        client.WaitFor(id, s => s.Status == status);

    public static string[] Statuses(this SubmissionView submission) => [.. submission.Timeline.Select(e => e.Status)];

    /// <summary>The field and code of each field error of a problem, in order.</summary>
    public static (string Field, string Code)[] FieldCodes(this ProblemBody problem) =>
        [.. problem.FieldErrors.Select(e => (e.Field, e.Code))];
}
