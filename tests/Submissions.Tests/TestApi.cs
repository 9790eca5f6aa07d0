using System.Net.Http.Json;
using System.Text.Json;

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

    public static async Task<JsonElement> Json(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

    public static async Task<JsonElement> Get(this HttpClient client, string url) =>
        await client.GetFromJsonAsync<JsonElement>(url, Cancel);

    /// <summary>Reads the submission until <paramref name="until"/> holds (events arrive asynchronously), failing after 30 s.</summary>
    public static async Task<JsonElement> WaitFor(this HttpClient client, Guid id, Func<JsonElement, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var submission = await client.Get($"/api/submissions/{id}");
            if (until(submission)) return submission;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Submission {id} never got there; last seen: {submission}");
            await Task.Delay(50, Cancel);
        }
    }

    public static Task<JsonElement> WaitForStatus(this HttpClient client, Guid id, string status) =>
        client.WaitFor(id, s => s.GetProperty("status").GetString() == status);

    public static string[] Statuses(this JsonElement submission) =>
        [.. submission.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("status").GetString()!)];

    public static (string?, string?)[] FieldErrors(this JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("field").GetString(), e.GetProperty("code").GetString()))];
}
