using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Testing;
using Submissions.Api.Apis;
using static Submissions.Tests.TestApi;

namespace Submissions.Tests;

public sealed class SubmittingTests(SharedApp app) : IClassFixture<SharedApp>
{
    private readonly SubmissionsApiFactory factory = app.Factory;
    private readonly string ods = NewOds();
    private HttpClient Client => field ??= factory.ClientFor(TestTokens.PracticeUser(ods));


    private Task<long> StoredSubmissions() => factory.CountAsync($"SELECT count(*) FROM submissions WHERE practice_ods = '{ods}'");

    private Task<long> AcceptedEvents(string? where = null) => factory.CountAsync(
        $"SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'Platform.Contracts.Submissions.SubmissionAccepted,%' AND body->>'practiceOds' = '{ods}' {where}");

    [Fact]
    public async Task A_valid_submission_answers_202_with_a_receipt_and_its_status_can_be_read()
    {
        var response = await Client.Submit(Flu(ods), "key-1");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = await response.Receipt();
        var id = receipt.Id;
        Assert.Equal(1, receipt.Version);
        Assert.Equal("validated", receipt.Status);
        Assert.Equal(SubmissionsApiFactory.Today, receipt.ReceivedAt);
        Assert.Equal(64, receipt.ContentSha256.Length);
        Assert.Equal($"/api/submissions/{id}", receipt.StatusUrl);
        Assert.Equal(receipt.StatusUrl, response.Headers.Location?.ToString());

        var status = await Client.Get<SubmissionView>($"/api/submissions/{id}");
        Assert.Equal("validated", status.Status);
        Assert.Equal("2026/27", status.FinancialYear);
        Assert.Equal($"user-{ods}", status.SubmittedBy);
        Assert.Equal(["received", "validated"], status.Statuses());
        Assert.All(status.Timeline, entry =>
        {
            Assert.False(string.IsNullOrEmpty(entry.Detail));
            Assert.Equal(receipt.TraceId, entry.TraceId);
        });
        Assert.Equal(1, await AcceptedEvents($"AND body->>'financialYear' = '2026/27' AND body->>'submittedBy' = 'user-{ods}'"));
    }

    [Fact]
    public async Task A_new_submission_is_one_read_and_one_batch_without_a_lock()
    {
        await Client.Submit(Flu(ods, period: "2026-09")); // an earlier version, so there is a period to read
        using var spans = EverySpan.Sampled();
        using var statements = new DatabaseStatements(factory.ConnectionString);
        using var cause = new Activity("practice submits").SetIdFormat(ActivityIdFormat.W3C).Start();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/submissions") { Content = JsonContent.Create(Flu(ods, period: "2026-09")) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.Add("traceparent", cause.Id);
        var response = await Client.SendAsync(request, Cancel);
        cause.Stop();

        Assert.Equal(2, (await response.Receipt()).Version);
        // The Idempotency-Key and the period's versions are one question, the submission and its event one batch; no
        // lock while no other request races for the period (the unique indexes decide a race).
        var inTrace = statements.InTrace(cause.TraceId);
        Assert.Equal(2, inTrace.Count);
        Assert.Single(inTrace, text => text.StartsWith("SELECT", StringComparison.Ordinal) && text.Contains("FROM submissions", StringComparison.Ordinal));
        Assert.Single(inTrace, text => text.Contains("INSERT INTO submissions", StringComparison.Ordinal) && text.Contains("INSERT INTO outbox_messages", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_key_with_the_same_body_returns_the_same_receipt()
    {
        var first = await (await Client.Submit(Flu(ods), "same-key")).Receipt();
        var again = await Client.Submit(Flu(ods), "same-key");

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var second = await again.Receipt();
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.ReceivedAt, second.ReceivedAt);
        Assert.Equal(1, await StoredSubmissions());
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_refused_with_422()
    {
        await Client.Submit(Flu(ods, 120), "reused-key");
        var response = await Client.Submit(Flu(ods, 121), "reused-key");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("idempotency_key_reused", (await response.ReadProblemAsync(Cancel)).Code);
        Assert.Equal(1, await StoredSubmissions());
    }

    [Fact]
    public async Task A_submission_without_an_idempotency_key_is_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/submissions") { Content = JsonContent.Create(Flu(ods)) };
        var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("idempotency_key_required", (await response.ReadProblemAsync(Cancel)).Code);
        Assert.Equal(0, await StoredSubmissions());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("101-characters")]
    public async Task A_malformed_idempotency_key_is_refused_with_400_idempotency_key_invalid(string key)
    {
        if (key == "101-characters") key = new string('k', 101);
        var response = await Client.Submit(Flu(ods), key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("idempotency_key_invalid", (await response.ReadProblemAsync(Cancel)).Code);
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
        var response = await Client.Submit(json);

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, rule);
        var problem = await response.ReadProblemAsync(Cancel);
        Assert.Equal("validation_failed", problem.Code);
        Assert.Equal(expected, problem.FieldCodes());
        Assert.Equal(0, await StoredSubmissions());
        Assert.Equal(0, await AcceptedEvents());
    }

    [Fact]
    public async Task Another_practices_ods_code_is_a_field_error()
    {
        var response = await Client.Submit(Flu(NewOds()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([("practiceOds", "other_practice")], (await response.ReadProblemAsync(Cancel)).FieldCodes());
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
        var response = await Client.Submit(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            [("practiceOds", "other_practice"), ("values[0].value", "above_maximum"), ("values[1].value", "negative"),
             ("values[2].indicator", "duplicate_indicator"), ("values[3].indicator", "unknown_indicator"), ("values[4].value", "too_many_decimals")],
            (await response.ReadProblemAsync(Cancel)).FieldCodes());
        Assert.Equal(0, await StoredSubmissions());
    }

    [Fact]
    public async Task Qof_points_may_have_two_decimal_places()
    {
        var body = new { practiceOds = ods, serviceCode = "QOF", period = "2026-Q2", values = new[] { new { indicator = "DM020", value = 12.5m } } };
        Assert.Equal(HttpStatusCode.Accepted, (await Client.Submit(body)).StatusCode);
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
        Assert.Equal("forbidden", (await commissioner.ReadProblemAsync(Cancel)).Code);

        var anonymous = await factory.CreateClient().Submit(Flu(ods));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("unauthorized", (await anonymous.ReadProblemAsync(Cancel)).Code);

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
        var response = await Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).TryGetProperty("exception", out _));
    }

    [Fact]
    public async Task An_unknown_submission_is_a_404_problem()
    {
        var response = await Client.GetAsync($"/api/submissions/{Guid.NewGuid()}", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await response.ReadProblemAsync(Cancel)).Code);
    }
}
