using System.Net;
using System.Net.Http.Json;
using Platform.Contracts.Identity;
using Platform.Testing;
using static Payments.Tests.TestData;

namespace Payments.Tests;

public sealed class TracingTests(SharedPayments shared) : IClassFixture<SharedPayments>
{
    private readonly PaymentsApiFactory factory = shared.Factory;

    [Fact]
    public async Task Every_event_of_a_payment_carries_the_trace_of_its_submission_even_when_a_commissioner_decides_later()
    {
        var ods = NewOds();
        await factory.Bus.Deliver(new PracticeRegistered(ods, "Traced Surgery", "QWE", 9_720, PaymentsApiFactory.Today));
        var accepted = Qof(ods);
        string traceId;
        using (var submitting = TestTracing.Source.StartActivity("submit")!)
        {
            traceId = submitting.TraceId.ToString();
            await factory.Bus.Deliver(accepted);
        }
        await factory.WaitForStatus(accepted.SubmissionId, 1, "awaiting-approval");
        // The practice may arrive after the submission (another queue): its payment then gets the ICB.
        var waiting = (await factory.WaitForPayments(accepted.SubmissionId, ps => ps.Single().Icb == "QWE")).Single();

        var paymentId = waiting.Id.ToString("D");
        var requests = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = requests.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var approve = await factory.ClientFor(TestTokens.Commissioner("QWE"))
            .PostAsJsonAsync($"/api/payments/{paymentId}/decision", new { decision = "approve" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        // The commissioner's request is a trace of its own: it names the payment and links to the submission's trace.
        // Its activity stops after the response is written, so the client can read the answer a moment before it stops.
        for (var wait = 0; wait < 50 && !requests.Any(request => request.GetTagItem("payment.id") as string == paymentId); wait++)
        {
            await Task.Delay(100, Cancel);
        }
        var decision = Assert.Single(requests, request => request.GetTagItem("payment.id") as string == paymentId);
        Assert.NotEqual(traceId, decision.TraceId.ToString());
        Assert.Contains(decision.Links, link => link.Context.TraceId.ToString() == traceId);
        Assert.Equal(accepted.SubmissionId.ToString("D"), decision.GetTagItem("submission.id"));
        await factory.WaitForStatus(accepted.SubmissionId, 1, "paid");

        foreach (var type in new[] { "PaymentCalculated", "PaymentAwaitingApproval", "PaymentApproved", "PaymentSettled" })
        {
            var parents = await factory.CountAsync($"""
                SELECT count(*) FROM outbox_messages
                WHERE message_type LIKE 'Platform.Contracts.Payments.{type},%' AND body->>'submissionId' = '{accepted.SubmissionId}'
                  AND trace_parent LIKE '00-{traceId}-%'
                """);
            Assert.True(parents == 1, $"{type} is not in trace {traceId}");
        }
    }

    [Fact]
    public async Task The_openapi_document_is_served_and_matches_its_committed_snapshot()
    {
        var response = await factory.CreateClient().GetAsync("/openapi/v1.json", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("/api/payments/{id}/decision", document);

        var incompatible = OpenApiSnapshot.Check("payments", document);
        Assert.True(incompatible is null, incompatible);
    }
}
