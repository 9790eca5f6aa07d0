using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Testing;

namespace Submissions.Tests;

public sealed class SubmittingTests(MessagingServers servers) : IAsyncLifetime
{
    private SubmissionsApiFactory factory = null!;
    private HttpClient client = null!;

    public async ValueTask InitializeAsync()
    {
        factory = await SubmissionsApiFactory.CreateAsync(servers);
        client = factory.CreateClient();
    }

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();

    private static object FluSubmission(decimal over65 = 120) => new
    {
        practiceOds = "A81001",
        serviceCode = "FLU",
        period = "2026-10",
        values = new[] { new { indicator = "FLU_65_PLUS", value = over65 } },
    };

    private Task<HttpResponseMessage> Submit(object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/submissions") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<JsonElement> Json(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

    private async Task<int> CountSubmissions()
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/submissions", TestContext.Current.CancellationToken);
        return page.GetProperty("total").GetInt32();
    }

    [Fact]
    public async Task A_valid_submission_answers_202_with_a_receipt_and_its_status_can_be_read()
    {
        var response = await Submit(FluSubmission(), "key-1");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = await Json(response);
        var id = receipt.GetProperty("id").GetGuid();
        Assert.Equal(1, receipt.GetProperty("version").GetInt32());
        Assert.Equal("validated", receipt.GetProperty("status").GetString());
        Assert.Equal(64, receipt.GetProperty("contentSha256").GetString()!.Length);
        Assert.Equal($"/api/submissions/{id}", receipt.GetProperty("statusUrl").GetString());
        Assert.Equal(receipt.GetProperty("statusUrl").GetString(), response.Headers.Location?.ToString());

        var status = await client.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}", TestContext.Current.CancellationToken);
        Assert.Equal("validated", status.GetProperty("status").GetString());
        var timeline = status.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["received", "validated"], timeline.Select(e => e.GetProperty("status").GetString()));
        Assert.All(timeline, entry =>
        {
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("detail").GetString()));
            Assert.Equal(receipt.GetProperty("traceId").GetString(), entry.GetProperty("traceId").GetString());
        });
    }

    [Fact]
    public async Task The_same_key_with_the_same_body_returns_the_same_receipt()
    {
        var first = await Json(await Submit(FluSubmission(), "same-key"));
        var again = await Submit(FluSubmission(), "same-key");

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var second = await Json(again);
        Assert.Equal(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        Assert.Equal(first.GetProperty("receivedAt").GetDateTimeOffset(), second.GetProperty("receivedAt").GetDateTimeOffset());
        Assert.Equal(1, await CountSubmissions());
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_refused_with_409()
    {
        await Submit(FluSubmission(120), "reused-key");
        var response = await Submit(FluSubmission(121), "reused-key");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("idempotency_key_reused", (await Json(response)).GetProperty("code").GetString());
        Assert.Equal(1, await CountSubmissions());
    }

    [Fact]
    public async Task A_submission_without_an_idempotency_key_is_refused()
    {
        var response = await Submit(FluSubmission(), key: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("idempotency_key_required", (await Json(response)).GetProperty("code").GetString());
        Assert.Equal(0, await CountSubmissions());
    }

    [Fact]
    public async Task An_invalid_submission_lists_each_broken_field_and_stores_nothing()
    {
        var body = new
        {
            practiceOds = "nope",
            serviceCode = "FLU",
            period = "2026-10",
            values = new object[] { new { indicator = "FLU_65_PLUS", value = -3 }, new { indicator = "FLU_65_PLUS", value = 2 } },
        };
        var response = await Submit(body, "invalid");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal(
            [("practiceOds", "invalid_format"), ("values[0].value", "negative"), ("values[1].indicator", "duplicate_indicator")],
            problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("field").GetString(), e.GetProperty("code").GetString())));
        Assert.Equal(0, await CountSubmissions());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"practiceOds\": 42, \"values\": \"many\"}")]
    [InlineData("[]")]
    public async Task Malformed_json_is_a_400_problem_not_a_500(string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/submissions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", "malformed");
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False((await Json(response)).TryGetProperty("exception", out _));
    }

    [Fact]
    public async Task Submitting_again_for_the_same_service_and_period_creates_the_next_version()
    {
        await Submit(FluSubmission(120), "first");
        var second = await Json(await Submit(FluSubmission(125), "second"));

        Assert.Equal(2, second.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task An_unknown_submission_is_a_404_problem()
    {
        var response = await client.GetAsync($"/api/submissions/{Guid.NewGuid()}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await Json(response)).GetProperty("code").GetString());
    }
}
