using Platform.Client.Payments.Models;
using Platform.Testing;

namespace Platform.Tests;

/// <summary>One submission through the gateway crosses every service and ends paid, in one trace.</summary>
[Collection(FaultCollection.Name)]
public sealed class SubmissionSliceTests(PlatformAppFixture platform)
{
    private static readonly TimeSpan ToPaid = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 300_000)]
    public async Task A_submission_ends_paid_with_a_remittance_email_and_one_trace_across_every_service()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var client = await platform.SignedInAsAsync("user@a81001.demo", cancellationToken);

        var period = await platform.ReservePeriodAsync("A81001", "FLU", cancellationToken);
        var (response, receipt) = await client.SubmitAsync(PlatformClient.ItemSubmission("A81001", "FLU", period, "FLU_65_PLUS", 117), cancellationToken);
        var traceId = receipt.TraceId!;
        Assert.Equal(traceId, response.Headers.GetValues("X-Trace-Id").Single());

        var paid = await client.WaitForStatusAsync(receipt.StatusUrl!, "paid", ToPaid, cancellationToken);

        // The timeline tells the story, every step in the submission's trace.
        var timeline = paid.Timeline!;
        Assert.Equal("received", timeline.First().Status);
        Assert.Equal("paid", timeline.Last().Status);
        Assert.All(timeline, entry => Assert.Equal(traceId, entry.TraceId));

        // The remittance email names the amount and reference the status shows.
        var payment = paid.Payment!;
        var amount = payment.Amount!.Value;
        var reference = payment.RemittanceReference!;
        Assert.Equal(amount, payment.Lines!.Sum(line => line.Amount!.Value));
        using var mailbox = new Smtp4devMailbox(new Uri($"http://localhost:{platform.Ports.SmtpWeb}/"));
        var email = await mailbox.WaitForAsync(m => m.Subject.Contains($"£{amount:#,0.00}"), ToPaid, cancellationToken);
        var text = await mailbox.GetPlainTextAsync(email.Id, cancellationToken);
        Assert.Contains(reference, text);

        // One trace holds the gateway, Submissions, Payments and Notifications, down to the email send, as one tree.
        // Exporters send spans in batches, so wait until every span's parent has arrived too.
        var spans = await platform.Traces.WaitForTraceAsync(traceId,
            spans => new[] { "gateway", "submissions", "payments", "notifications" }.All(service => spans.Any(span => span.Service == service))
                && spans.Any(span => span.Name.StartsWith("email send", StringComparison.Ordinal))
                && Roots(spans).Count == 1,
            TimeSpan.FromSeconds(60), cancellationToken);
        Assert.All(spans, span => Assert.Equal(traceId, span.TraceId));
        Assert.Equal("gateway", Assert.Single(Roots(spans)).Service);
    }

    private static List<SpanInfo> Roots(IReadOnlyList<SpanInfo> spans)
    {
        var ids = spans.Select(span => span.SpanId).ToHashSet();
        return [.. spans.Where(span => span.ParentSpanId is null || !ids.Contains(span.ParentSpanId))];
    }

    [Fact(Timeout = 300_000)]
    public async Task Killing_payments_while_submissions_are_in_flight_loses_nothing_and_pays_each_once()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var practiceA = await platform.SignedInAsAsync("user@a81001.demo", cancellationToken);
        var practiceB = await platform.SignedInAsAsync("user@b82002.demo", cancellationToken);
        // Each in its own (practice, service, period): a second one for the same period would amend the first.
        var slots = new (PlatformClient Client, string Practice, string Service, string Indicator, decimal Value)[]
        {
            (practiceB, "B82002", "FLU", "FLU_65_PLUS", 201),
            (practiceB, "B82002", "FLU", "FLU_65_PLUS", 202),
            (practiceB, "B82002", "CHILD_IMMS", "PCV", 23),
            (practiceB, "B82002", "CHILD_IMMS", "PCV", 24),
            (practiceA, "A81001", "FLU", "FLU_65_PLUS", 205),
            (practiceA, "A81001", "CHILD_IMMS", "PCV", 26),
            (practiceA, "A81001", "CHILD_IMMS", "PCV", 27),
        };
        var inFlight = new List<(PlatformClient Client, object Body)>();
        foreach (var (client, practice, service, indicator, value) in slots)
        {
            var period = await platform.ReservePeriodAsync(practice, service, cancellationToken);
            inFlight.Add((client, PlatformClient.ItemSubmission(practice, service, period, indicator, value)));
        }

        var submitting = inFlight.Select(item => item.Client.SubmitAsync(item.Body, cancellationToken)).ToList();
        await Task.Delay(TimeSpan.FromMilliseconds(150), cancellationToken);
        await platform.KillAndRestartAsync("payments", cancellationToken);
        var receipts = await Task.WhenAll(submitting);

        for (var i = 0; i < inFlight.Count; i++)
        {
            var (client, _) = inFlight[i];
            var receipt = receipts[i].Receipt;
            var paid = await client.WaitForStatusAsync(receipt.StatusUrl!, "paid", ToPaid, cancellationToken);
            var payments = await client.GetAsync($"/api/payments?submissionId={receipt.Id!.Value}", PageOfOfPaymentView.CreateFromDiscriminatorValue, cancellationToken);
            Assert.Single(payments.Items!);
            Assert.Single(paid.Timeline!, entry => entry.Status == "paid");
        }
    }
}
