using System.Net;
using System.Net.Http.Json;
using Platform.Contracts.Identity;
using static Payments.Tests.TestData;
using Platform.Testing;

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
        var waiting = (await factory.WaitForPayments(accepted.SubmissionId, ps => ps.Single().GetProperty("icb").GetString() == "QWE")).Single();

        var approve = await factory.ClientFor(TestTokens.Commissioner("QWE"))
            .PostAsJsonAsync($"/api/payments/{waiting.GetProperty("id").GetGuid()}/decision", new { decision = "approve" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
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
