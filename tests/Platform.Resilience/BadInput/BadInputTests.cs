using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;
using Platform.Resilience.Running;
using Platform.Resilience.Tenancy;

namespace Platform.Resilience.BadInput;

/// <summary>
/// Every public endpoint the gateway serves (read from the four OpenAPI documents, plus the token endpoint) gets generated
/// requests that are wrong in one definite way. Every answer is a 4xx RFC 9457 problem details body with a stable code
/// (the token endpoint answers RFC 6749 errors) - never a 5xx, never a stack trace - and afterwards every table of every
/// service's database holds exactly what it held before.
/// </summary>
public sealed class BadInputTests(ResiliencePlatform platform)
{
    /// <summary>Samples per endpoint: enough to meet every kind of defect a few times, few enough to run in a minute or two.</summary>
    private const int SamplesPerEndpoint = 12;

    private static readonly string[] StackTraceMarks = ["   at ", ".cs:line", "Exception:", "Npgsql", "System.", "Microsoft.", "StackTrace"];

    [Fact(Timeout = 600_000)]
    public async Task Malformed_requests_to_every_public_endpoint_answer_4xx_problem_details_and_change_nothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var tenants = await platform.TenantsAsync(cancellationToken);
        var endpoints = await ReadEndpointsAsync(cancellationToken);
        var callers = await CallersAsync(tenants, cancellationToken);

        await Quiet.WaitAsync(platform, cancellationToken);
        var before = await StateSnapshot.TakeAsync(platform, cancellationToken);

        var failures = new List<string>();
        var answers = new Dictionary<int, int>();
        foreach (var endpoint in endpoints)
        {
            var caller = CallerFor(endpoint, callers);
            try
            {
                await BadRequests.For(endpoint).SampleAsync(async request =>
                {
                    var (status, problem) = await SendAsync(caller, request, cancellationToken);
                    lock (answers) answers[status] = answers.GetValueOrDefault(status) + 1;
                    if (problem is not null) throw new InvalidOperationException(problem);
                }, iter: SamplesPerEndpoint, threads: 1, print: request => request.ToString());
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failures.Add($"{endpoint}: {exception.InnerException?.Message ?? exception.Message}{Environment.NewLine}  {exception.Message}");
            }
        }

        try
        {
            await TokenRequests().SampleAsync(async request =>
            {
                var (status, problem) = await SendAsync(null, request, cancellationToken);
                lock (answers) answers[status] = answers.GetValueOrDefault(status) + 1;
                if (problem is not null) throw new InvalidOperationException(problem);
            }, iter: 30, threads: 1, print: request => request.ToString());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            failures.Add($"POST /connect/token: {exception.InnerException?.Message ?? exception.Message}{Environment.NewLine}  {exception.Message}");
        }

        await Quiet.WaitAsync(platform, cancellationToken);
        var after = await StateSnapshot.TakeAsync(platform, cancellationToken);
        var changed = before.Differences(after);

        var summary = $"{endpoints.Count + 1} endpoints, {answers.Values.Sum()} requests; answers: " +
            string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key} x{a.Value}")) +
            $"; {before.Tables} tables ({before.Rows} rows) compared, {changed.Count} changed";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        RunLog.Write($"bad input: {summary}");
        failures.AddRange(changed.Select(table => $"stored state changed: {table}"));
        Assert.True(failures.Count == 0, $"{summary}{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    [Fact(Timeout = 300_000)]
    public async Task Oversized_headers_are_refused_with_4xx_and_large_legal_ones_are_served()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var tenants = await platform.TenantsAsync(cancellationToken);
        var client = tenants.Practices[0].System;

        // A bearer token of 20 KB of garbage: refused as a token, as problem details.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/submissions"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", new string('A', 20_000));
            using var response = await client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Null(ProblemWith(response, body, token: false));
        }

        // A legal but large header (16 KB) is passed through and served.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/submissions?pageSize=1"))
        {
            request.Headers.TryAddWithoutValidation("X-Large", new string('b', 16_000));
            using var response = await client.SendAsync(request, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Headers beyond the server's limit (64 KB): refused before any service is reached, never a 5xx.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/submissions"))
        {
            request.Headers.TryAddWithoutValidation("X-Huge", new string('c', 64_000));
            using var response = await client.SendAsync(request, cancellationToken);
            Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        }
    }

    private async Task<List<Endpoint>> ReadEndpointsAsync(CancellationToken cancellationToken)
    {
        var endpoints = new List<Endpoint>();
        foreach (var service in ResiliencePlatform.Services)
        {
            using var response = await platform.Gateway.GetAsync($"/openapi/{service}.json", cancellationToken);
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            endpoints.AddRange(OpenApiEndpoints.Read(service, document.RootElement.Clone()));
        }

        // Marking every notice read has no input at all to get wrong: nothing to generate, and calling it changes state.
        endpoints.RemoveAll(endpoint => endpoint.Path == "/api/notifications/read-all");
        Assert.True(endpoints.Count >= 25, $"Only {endpoints.Count} operations were found in the OpenAPI documents.");
        return endpoints;
    }

    private sealed record Callers(ApiClient PlatformAdmin, ApiClient Commissioner, ApiClient System, ApiClient Person);

    /// <summary>
    /// One caller per role, signed in before the first snapshot (signing in stores tokens). Requests about a person's own
    /// account go as a test user of its own, so no demo account is ever touched.
    /// </summary>
    private async Task<Callers> CallersAsync(Tenants tenants, CancellationToken cancellationToken)
    {
        var person = tenants.TakeWarnedUser();
        var callers = new Callers(tenants.Admin, tenants.Commissioner, tenants.Practices[0].System,
            ApiClient.ForUser(platform.Gateway, Addresses.Next(), person.Email, person.Password));
        foreach (var caller in new[] { callers.PlatformAdmin, callers.Commissioner, callers.System, callers.Person })
        {
            await caller.AccessTokenAsync(cancellationToken);
        }

        return callers;
    }

    private static ApiClient? CallerFor(Endpoint endpoint, Callers callers) => endpoint.Path switch
    {
        "/api/identity/password/change-expired" or "/api/identity/password/reset-requests" or "/api/identity/password/resets"
            or "/api/identity/invitations/accept" => null,
        var path when path.StartsWith("/api/identity/practices", StringComparison.Ordinal) => callers.PlatformAdmin,
        var path when path.StartsWith("/api/identity", StringComparison.Ordinal) => callers.Person,
        var path when path.StartsWith("/api/submissions", StringComparison.Ordinal) => callers.System,
        var path when path.EndsWith("/decision", StringComparison.Ordinal) => callers.Commissioner,
        var path when path.StartsWith("/api/payments", StringComparison.Ordinal) => callers.PlatformAdmin,
        var path when path.StartsWith("/api/notifications/admin", StringComparison.Ordinal) => callers.PlatformAdmin,
        _ => callers.Person,
    };

    /// <summary>Sends one request (anonymous ones each from a fresh address, as separate clients) and says what is wrong with the answer.</summary>
    private async Task<(int Status, string? Problem)> SendAsync(ApiClient? caller, BadRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Endpoint.Method), request.Path);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }

        if (request.IdempotencyKey is not null) message.Headers.TryAddWithoutValidation("Idempotency-Key", request.IdempotencyKey);
        using var response = await (caller ?? ApiClient.Anonymous(platform.Gateway, Addresses.Next())).SendAsync(message, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = (int)response.StatusCode;
        var isToken = request.Endpoint.Path == "/connect/token";
        if (status >= 500) return (status, $"answered {status}: {body}");
        if (StackTraceMarks.FirstOrDefault(mark => body.Contains(mark, StringComparison.Ordinal)) is { } mark)
        {
            return (status, $"answered {status} with what looks like internals ('{mark}'): {body}");
        }

        // A reset request is answered 202 whatever the address, so nobody learns who has an account.
        var acceptedByDesign = request.Endpoint.Path == "/api/identity/password/reset-requests" && status == 202;
        if (request.Endpoint.Changes && status < 400 && !acceptedByDesign) return (status, $"accepted ({status}): {body}");
        return (status, status >= 400 ? ProblemWith(response, body, isToken) : null);
    }

    /// <summary>Null when the body is RFC 9457 problem details (status, title, a stable code) - or, for the token endpoint, an RFC 6749 error.</summary>
    private static string? ProblemWith(HttpResponseMessage response, string body, bool token)
    {
        var status = (int)response.StatusCode;
        JsonElement json;
        try
        {
            using var document = JsonDocument.Parse(body);
            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return $"answered {status} with a body that is not JSON: '{body}'";
        }

        if (json.ValueKind != JsonValueKind.Object) return $"answered {status} with {body}";
        // The token endpoint's own refusals are RFC 6749 errors; the gateway's (413, 429) are problem details like everywhere.
        if (token && json.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String) return null;

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType != "application/problem+json") return $"answered {status} as {mediaType}, not application/problem+json: {body}";
        if (!json.TryGetProperty("status", out var statusMember) || statusMember.GetInt32() != status) return $"answered {status} with a problem of another status: {body}";
        if (!json.TryGetProperty("title", out _)) return $"answered {status} with a problem without a title: {body}";
        if (!json.TryGetProperty("code", out var code) || string.IsNullOrEmpty(code.GetString())) return $"answered {status} with a problem without a code: {body}";
        return null;
    }

    /// <summary>The token endpoint (form-encoded, RFC 6749): unknown users, broken grants, wrong content types, oversized forms.</summary>
    private static Gen<BadRequest> TokenRequests()
    {
        var endpoint = new Endpoint("identity", "POST", "/connect/token", [], null);
        var text = Gen.OneOf(Gen.OneOf("", "password", "client_credentials", "refresh_token", "authorization_code", "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "'; DROP TABLE users; --", "platform-cli", "openid platform-api", "\u0000", "🏥", new string('x', 5000)), Gen.String[Gen.Char['!', '~'], 1, 30]);
        var form = Gen.Select(text, text, text, text, (grant, client, password, scope) => new Dictionary<string, string>
        {
            ["grant_type"] = grant,
            ["client_id"] = client,
            ["username"] = $"nobody.{Math.Abs(password.GetHashCode()) % 100_000}@nowhere.test",
            ["password"] = password,
            ["scope"] = scope,
        });
        return Gen.Select(form, Gen.OneOf("application/x-www-form-urlencoded", "application/json", "text/plain"), Gen.Int[0, 9], (fields, type, size) =>
        {
            var bytes = type == "application/json"
                ? JsonSerializer.SerializeToUtf8Bytes(fields)
                : Encoding.UTF8.GetBytes(string.Join("&", fields.Select(field => $"{Uri.EscapeDataString(field.Key)}={Uri.EscapeDataString(field.Value)}"))
                    + (size == 0 ? $"&pad={new string('p', 40_000)}" : ""));
            return new BadRequest(endpoint, endpoint.Path, $"token request ({type})", type, bytes, null);
        });
    }
}
