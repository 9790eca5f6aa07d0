using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.Client.Identity.Models;
using Platform.Testing;

namespace Gateway.Tests;

/// <summary>
/// The service endpoints <c>platform-cli</c> calls, answered as the real services do (status codes, JSON shapes, problem
/// details), for one submission, one payment and two payments awaiting approval.
/// </summary>
public static class CliStandIns
{
    public static readonly Guid SubmissionId = Guid.Parse("5b0c5c36-3d6c-4a51-9d7e-2f7f3f1f0a11");
    public static readonly Guid PaymentId = Guid.Parse("0e6d1c1e-7a35-4c0b-9f6b-2b8f3d1a7c21");
    public static readonly Guid LongWaitingPaymentId = Guid.Parse("1f1a7e52-6f0b-4e0e-8c33-0a9d8b7e6c01");
    public static readonly Guid RecentPaymentId = Guid.Parse("2a2b7e52-6f0b-4e0e-8c33-0a9d8b7e6c02");
    public const string ApproverName = "Dr Ada Lovelace";
    public const string TooShortPassword = "short";

    /// <summary>The password each username last signed in with (usernames are unique per test).</summary>
    public static ConcurrentDictionary<string, string> SignIns { get; } = new();

    /// <summary>The submission's timeline as GET answers it; the event stream ends at <c>paid</c> before the late steps were recorded.</summary>
    private static readonly (string Status, string At, string Detail)[] Timeline =
    [
        ("received", "2026-11-27T12:00:00Z", "Version 1 received with 1 values."),
        ("validated", "2026-11-27T12:00:01Z", "All values passed validation against the catalogue."),
        ("calculated", "2026-11-27T12:00:02Z", "Payment calculated: £1,207.20 over 1 lines; it needs a commissioner's approval."),
        ("awaiting-approval", "2026-11-27T12:00:03Z", "£1,207.20 awaits a commissioner's approval."),
        ("approved", "2026-11-27T12:05:00Z", "Payment approved by commissioner-QWE."),
        ("paid", "2026-11-27T12:05:01Z", "£1,207.20 paid, remittance reference A81001-X481JN2S5X."),
    ];

    /// <summary>What the stream sends: every step but the two recorded after <c>paid</c>.</summary>
    public static readonly string[] Streamed = ["received", "validated", "awaiting-approval", "paid"];

    public static void Map(WebApplication app)
    {
        app.MapPost("/api/submissions", () => Results.Accepted($"/api/submissions/{SubmissionId}",
            new { id = SubmissionId, version = 1, status = "validated", receivedAt = "2026-11-27T12:00:00Z", contentSha256 = "ab", traceId = "4bf92f3577b34da6a3ce929d0e0e4736", statusUrl = $"/api/submissions/{SubmissionId}" }));
        app.MapGet($"/api/submissions/{SubmissionId}", () => Results.Ok(Submission()));
        app.MapGet($"/api/submissions/{SubmissionId}/events", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/event-stream";
            var id = 0;
            foreach (var (status, at, detail) in Timeline.Where(step => Streamed.Contains(step.Status)))
            {
                var data = JsonSerializer.Serialize(new { submissionId = SubmissionId, status, at, detail, traceId = (string?)null });
                await context.Response.WriteAsync($"event: status\ndata: {data}\nid: {++id}\n\n");
                await context.Response.Body.FlushAsync();
            }
        });
        app.MapGet($"/api/payments/{PaymentId}", () => Results.Ok(Payment(PaymentId, "A81001", "QOF", "2026-Q2", 1207.20m, "paid",
            DateTimeOffset.Parse("2026-11-27T12:00:03Z", System.Globalization.CultureInfo.InvariantCulture), decided: true)));
        app.MapGet("/api/payments", (string? status) =>
        {
            if (status != "awaiting-approval") return Results.Ok(new { items = Array.Empty<object>(), page = 1, pageSize = 50, total = 0 });
            var now = DateTimeOffset.UtcNow;
            var items = new[]
            {
                Payment(RecentPaymentId, "B82002", "FLU", "2026-11", 6036m, "awaiting-approval", now - new TimeSpan(5, 10, 0), decided: false),
                Payment(LongWaitingPaymentId, "A81001", "QOF", "2026-Q2", 12345.6m, "awaiting-approval", now - new TimeSpan(3, 2, 0, 0), decided: false),
            };
            return Results.Ok(new { items, page = 1, pageSize = 100, total = items.Length });
        });
        app.MapPost("/api/identity/password/change", async (HttpContext context) =>
        {
            var body = await ClientModels.ReadAsync(context.Request.Body, Change.CreateFromDiscriminatorValue, context.RequestAborted);
            if (body?.NewPassword == TooShortPassword)
            {
                return Results.Json(new
                {
                    type = "about:blank", title = "The request is not valid.", status = 400, code = "validation_failed",
                    detail = "newPassword: The password needs at least 12 characters.",
                    errors = new[] { new { field = "newPassword", code = "too_short", message = "The password needs at least 12 characters." } },
                }, statusCode: 400, contentType: "application/problem+json");
            }
            return Results.NoContent();
        });
        app.MapGet("/api/identity/me", (HttpContext context) =>
        {
            var token = new JsonWebToken(context.Request.Headers.Authorization.ToString()["Bearer ".Length..]);
            var subject = token.Subject;
            return Results.Ok(new { id = subject, email = subject, displayName = $"Signed in as {subject}", role = "practice-user", practiceOds = "A81001" });
        });
    }

    private static object Submission() => new
    {
        id = SubmissionId, practiceOds = "A81001", serviceCode = "QOF", period = "2026-Q2", financialYear = "2026/27", version = 1,
        supersedes = (int?)null, status = "paid", receivedAt = "2026-11-27T12:00:00Z", stalledAt = (string?)null, submittedBy = "cli-user",
        contentSha256 = "ab", traceId = "4bf92f3577b34da6a3ce929d0e0e4736",
        values = new[] { new { indicator = "AF001", value = 12m } },
        timeline = Timeline.Select(step => new { status = step.Status, at = step.At, detail = step.Detail, traceId = (string?)null }),
        payment = new { paymentId = PaymentId, amount = 1207.20m, currency = "GBP", lines = Array.Empty<object>(), remittanceReference = "A81001-X481JN2S5X", outcome = "paid", reason = (string?)null },
    };

    private static object Payment(Guid id, string ods, string service, string period, decimal amount, string status, DateTimeOffset waitingSince, bool decided) => new
    {
        id, submissionId = Guid.NewGuid(), submissionVersion = 1, practiceOds = ods, icb = "QWE", serviceCode = service, period, financialYear = "2026/27",
        amount, currency = "GBP", status, requiresApproval = true, approvalReason = "QOF payments need approval", decideBy = waitingSince.AddDays(5),
        remindersSent = 0, decidedBy = decided ? "commissioner-QWE" : null, decidedByName = decided ? ApproverName : null,
        decidedAt = decided ? waitingSince.AddMinutes(5) : (DateTimeOffset?)null, decisionReason = (string?)null,
        remittanceReference = (string?)null, failureReason = (string?)null, postingAttempts = 0, lines = Array.Empty<object>(),
        history = new[]
        {
            new { status = "calculated", at = waitingSince.AddSeconds(-1), by = "payments", byName = (string?)null, detail = "calculated" },
            new { status = "awaiting-approval", at = waitingSince, by = "payments", byName = (string?)null, detail = "approval required" },
        },
        calculatedAt = waitingSince.AddSeconds(-1), settledAt = (DateTimeOffset?)null,
    };
}
