using System.Net.Http.Json;

namespace Identity.Tests;

/// <summary>The creating POSTs require an <c>Idempotency-Key</c>: tests that are not about it send a new one each time.</summary>
public static class CreatingRequests
{
    public static async Task<HttpResponseMessage> PostCreatingAsync(this HttpClient client, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }
}
