using System.Net;
using System.Net.Http.Json;
using System.Text;
using Platform.Testing;
using static Submissions.Tests.TestApi;

namespace Submissions.Tests;

public sealed class SubmittingTests(SharedApp app) : IClassFixture<SharedApp>
{
    private readonly SubmissionsApiFactory factory = app.Factory;
    private readonly string ods = NewOds();
    private HttpClient client => field ??= factory.ClientFor(TestTokens.PracticeUser(ods));


    private Task<long> StoredSubmissions() => factory.CountAsync($"SELECT count(*) FROM submissions WHERE practice_ods = '{ods}'");

    private Task<long> AcceptedEvents(string? where = null) => factory.CountAsync(
        $"SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'Platform.Contracts.Submissions.SubmissionAccepted,%' AND body->>'practiceOds' = '{ods}' {where}");

    [Fact]
    public async Task A_valid_submission_answers_202_with_a_receipt_and_its_status_can_be_read()
    {
        var response = await client.Submit(Flu(ods), "key-1");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = await response.Json();
        var id = receipt.GetProperty("id").GetGuid();
        Assert.Equal(1, receipt.GetProperty("version").GetInt32());
        Assert.Equal("validated", receipt.GetProperty("status").GetString());
        Assert.Equal(SubmissionsApiFactory.Today, receipt.GetProperty("receivedAt").GetDateTimeOffset());
        Assert.Equal(64, receipt.GetProperty("contentSha256").GetString()!.Length);
        Assert.Equal($"/api/submissions/{id}", receipt.GetProperty("statusUrl").GetString());
        Assert.Equal(receipt.GetProperty("statusUrl").GetString(), response.Headers.Location?.ToString());

        var status = await client.Get($"/api/submissions/{id}");
        Assert.Equal("validated", status.GetProperty("status").GetString());
        Assert.Equal("2026/27", status.GetProperty("financialYear").GetString());
        Assert.Equal($"user-{ods}", status.GetProperty("submittedBy").GetString());
        Assert.Equal(["received", "validated"], status.Statuses());
        Assert.All(status.GetProperty("timeline").EnumerateArray(), entry =>
        {
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("detail").GetString()));
            Assert.Equal(receipt.GetProperty("traceId").GetString(), entry.GetProperty("traceId").GetString());
        });
        Assert.Equal(1, await AcceptedEvents($"AND body->>'financialYear' = '2026/27' AND body->>'submittedBy' = 'user-{ods}'"));
    }

    [Fact]
    public async Task The_same_key_with_the_same_body_returns_the_same_receipt()
    {
        var first = await (await client.Submit(Flu(ods), "same-key")).Json();
        var again = await client.Submit(Flu(ods), "same-key");

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var second = await again.Json();
        Assert.Equal(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        Assert.Equal(first.GetProperty("receivedAt").GetDateTimeOffset(), second.GetProperty("receivedAt").GetDateTimeOffset());
        Assert.Equal(1, await StoredSubmissions());
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_refused_with_422()
    {
        await client.Submit(Flu(ods, 120), "reused-key");
        var response = await client.Submit(Flu(ods, 121), "reused-key");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("idempotency_key_reused", (await response.Json()).GetProperty("code").GetString());
        Assert.Equal(1, await StoredSubmissions());
    }

    [Fact]
    public async Task A_submission_without_an_idempotency_key_is_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/submissions") { Content = JsonContent.Create(Flu(ods)) };
        var response = await client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("idempotency_key_required", (await response.Json()).GetProperty("code").GetString());
        Assert.Equal(0, await StoredSubmissions());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("101-characters")]
    public async Task A_malformed_idempotency_key_is_refused_with_400_idempotency_key_invalid(string key)
    {
        if (key == "101-characters") key = new string('k', 101);
        var response = await client.Submit(Flu(ods), key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("idempotency_key_invalid", (await response.Json()).GetProperty("code").GetString());
        Assert.Equal(0, await StoredSubmissions());
    }

    public static TheoryData<string, object, (string, string)[]> BrokenSubmissions => new()
    {
        { "unknown service", new { serviceCode = "DENTAL", period = "2026-10", values = new[] { new { indicator = "FLU_65_PLUS", value = 1m } } },
            [("serviceCode", "unknown_service")] },
        { "unknown period", new { serviceCode = "FLU", period = "2026-06", values = new[] { new { indicator = "FLU_65_PLUS", value = 1m } } },
            [("period", "unknown_period")] },
        { "window closed", new { serviceCode = "FLU", period = "2025-10", values = new[] { new { indicator = "FLU_65_PLUS", value = 1m } } },
            [("period", "window_closed")] },
        { "window not yet open", new { serviceCode = "FLU", period = "2026-11", values = new[] { new { indicator = "FLU_65_PLUS", value = 1m } } },
            [("period", "window_not_open")] },
        { "unknown indicator", new { serviceCode = "FLU", period = "2026-10", values = new[] { new { indicator = "FLU_UNDER_2", value = 1m } } },
            [("values[0].indicator", "unknown_indicator")] },
        { "negative value", new { serviceCode = "FLU", period = "2026-10", values = new[] { new { indicator = "FLU_65_PLUS", value = -1m } } },
            [("values[0].value", "negative")] },
        { "above the indicator's maximum points", new { serviceCode = "QOF", period = "2026-Q2", values = new[] { new { indicator = "DM012", value = 4.01m } } },
            [("values[0].value", "above_maximum")] },
        { "above the indicator's maximum count", new { serviceCode = "FLU", period = "2026-10", values = new[] { new { indicator = "FLU_PREGNANT", value = 5001m } } },
            [("values[0].value", "above_maximum")] },
        { "a fraction of an item", new { serviceCode = "FLU", period = "2026-10", values = new[] { new { indicator = "FLU_65_PLUS", value = 2.5m } } },
            [("values[0].value", "not_whole_number")] },
        { "duplicate indicator", new { serviceCode = "FLU", period = "2026-10",
            values = new[] { new { indicator = "FLU_65_PLUS", value = 1m }, new { indicator = "FLU_65_PLUS", value = 2m } } },
            [("values[1].indicator", "duplicate_indicator")] },
    };

    [Theory]
    [MemberData(nameof(BrokenSubmissions))]
    public async Task Each_rule_answers_400_naming_the_field_and_code_and_stores_nothing(string rule, object body, (string, string)[] expected)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(body)!.AsObject();
        json["practiceOds"] = ods;
        var response = await client.Submit(json);

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, rule);
        var problem = await response.Json();
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal(expected.Select(e => ((string?)e.Item1, (string?)e.Item2)), problem.FieldErrors());
        Assert.Equal(0, await StoredSubmissions());
        Assert.Equal(0, await AcceptedEvents());
    }

    [Fact]
    public async Task Another_practices_ods_code_is_a_field_error()
    {
        var response = await client.Submit(Flu(NewOds()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([("practiceOds", "other_practice")], (await response.Json()).FieldErrors());
        Assert.Equal(0, await StoredSubmissions());
    }

    [Fact]
    public async Task Every_broken_field_is_listed_at_once()
    {
        var body = new
        {
            practiceOds = NewOds(),
            serviceCode = "QOF",
            period = "2026-Q2",
            values = new object[]
            {
                new { indicator = "DM012", value = 5 },
                new { indicator = "AF008", value = -1 },
                new { indicator = "AF008", value = 3 },
                new { indicator = "XYZ999", value = 1 },
                new { indicator = "AST007", value = 12.345 },
                new { indicator = "DM020", value = 12.5 },
            },
        };
        var response = await client.Submit(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            [("practiceOds", "other_practice"), ("values[0].value", "above_maximum"), ("values[1].value", "negative"),
             ("values[2].indicator", "duplicate_indicator"), ("values[3].indicator", "unknown_indicator"), ("values[4].value", "too_many_decimals")],
            (await response.Json()).FieldErrors());
        Assert.Equal(0, await StoredSubmissions());
    }

    [Fact]
    public async Task Qof_points_may_have_two_decimal_places()
    {
        var body = new { practiceOds = ods, serviceCode = "QOF", period = "2026-Q2", values = new[] { new { indicator = "DM020", value = 12.5m } } };
        Assert.Equal(HttpStatusCode.Accepted, (await client.Submit(body)).StatusCode);
    }

    [Fact]
    public async Task A_system_client_submits_for_its_bound_practice()
    {
        var system = factory.ClientFor(TestTokens.SystemClient(ods));
        Assert.Equal(HttpStatusCode.Accepted, (await system.Submit(Flu(ods))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await system.Submit(Flu(NewOds()))).StatusCode);
    }

    [Fact]
    public async Task Only_practice_members_submit_and_only_with_a_valid_token()
    {
        var commissioner = await factory.ClientFor(TestTokens.Commissioner("QWE")).Submit(Flu(ods));
        Assert.Equal(HttpStatusCode.Forbidden, commissioner.StatusCode);
        Assert.Equal("forbidden", (await commissioner.Json()).GetProperty("code").GetString());

        var anonymous = await factory.CreateClient().Submit(Flu(ods));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("unauthorized", (await anonymous.Json()).GetProperty("code").GetString());

        var wrongAudience = await factory.ClientFor(TestTokens.Mint("u", "practice-user", practice: ods, audience: "other-api")).Submit(Flu(ods));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience.StatusCode);

        var otherKey = new Microsoft.IdentityModel.Tokens.RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048));
        var forged = await factory.ClientFor(TestTokens.Mint("u", "practice-user", practice: ods, key: otherKey)).Submit(Flu(ods));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(0, await StoredSubmissions());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"practiceOds\": 42, \"values\": \"many\"}")]
    [InlineData("[]")]
    public async Task Malformed_json_is_a_400_problem_not_a_500(string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/submissions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", "malformed");
        var response = await client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False((await response.Json()).TryGetProperty("exception", out _));
    }

    [Fact]
    public async Task An_unknown_submission_is_a_404_problem()
    {
        var response = await client.GetAsync($"/api/submissions/{Guid.NewGuid()}", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await response.Json()).GetProperty("code").GetString());
    }
}
