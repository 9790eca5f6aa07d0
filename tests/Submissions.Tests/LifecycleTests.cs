using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using MassTransit;
using Platform.Contracts.Payments;
using Platform.Contracts.Submissions;
using Platform.Testing;
using Submissions.Api.Apis;
using static Submissions.Tests.TestApi;

namespace Submissions.Tests;

/// <summary>Submissions keeps its status from Payments' events: forward only, each status once, whatever the order or repetition.</summary>
public sealed class LifecycleTests(SharedApp app) : IClassFixture<SharedApp>
{
    private static readonly DateTimeOffset Now = SubmissionsApiFactory.Today;
    private readonly SubmissionsApiFactory factory = app.Factory;
    private readonly string ods = NewOds();
    private HttpClient Client => field ??= factory.ClientFor(TestTokens.PracticeUser(ods));


    private async Task<Guid> SubmitFlu(string period = "2026-10")
    {
        var receipt = await (await Client.Submit(Flu(ods, period: period))).Receipt();
        return receipt.Id;
    }

    private static readonly PaymentLine[] Lines = [new("FLU_65_PLUS", 120, 10.06m, 1207.20m)];

    private PaymentCalculated Calculated(Guid id, Guid paymentId, bool approval = false) =>
        new(paymentId, id, 1, ods, "FLU", "2026-10", 1207.20m, "GBP", Lines, approval, Now);

    private PaymentSettled Settled(Guid id, Guid paymentId) =>
        new(paymentId, id, 1, ods, "FLU", "2026-10", 1207.20m, "GBP", Lines, $"{ods}-0123456789", Now);

    private Task Publish<T>(T message, Guid? messageId = null) where T : class =>
        factory.Bus.Publish(message, context => context.MessageId = messageId ?? NewId.NextGuid(), Cancel);

    [Fact]
    public async Task An_item_payment_goes_calculated_then_paid_with_its_lines_and_remittance_reference()
    {
        var id = await SubmitFlu();
        var paymentId = Guid.NewGuid();
        await Publish(Calculated(id, paymentId));
        await Client.WaitForStatus(id, "calculated");
        await Publish(Settled(id, paymentId));

        var paid = await Client.WaitForStatus(id, "paid");

        Assert.Equal(["received", "validated", "calculated", "paid"], paid.Statuses());
        var payment = paid.Payment;
        Assert.NotNull(payment);
        Assert.Equal(paymentId, payment.PaymentId);
        Assert.Equal(1207.20m, payment.Amount);
        Assert.Equal($"{ods}-0123456789", payment.RemittanceReference);
        Assert.Equal("paid", payment.Outcome);
        var line = Assert.Single(payment.Lines);
        Assert.Equal(("FLU_65_PLUS", 120m, 10.06m, 1207.20m), (line.Indicator, line.Quantity, line.Rate, line.Amount));
    }

    [Fact]
    public async Task A_payment_event_locks_and_reads_its_submission_in_one_round_trip()
    {
        var id = await SubmitFlu();
        using var spans = EverySpan.Sampled(); // so the event's trace reaches the consumer's statements
        using var statements = new DatabaseStatements(factory.ConnectionString);
        using var cause = new Activity("payment settled in Payments").SetIdFormat(ActivityIdFormat.W3C).Start();
        await Publish(Settled(id, Guid.NewGuid()));
        cause.Stop();

        await Client.WaitForStatus(id, "paid");
        // The row lock that keeps two payment events for one submission apart is taken by the read itself.
        var read = Assert.Single(statements.InTrace(cause.TraceId), text => text.Contains("FROM submissions", StringComparison.Ordinal));
        Assert.Contains("FOR UPDATE", read, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approved_payment_passes_through_every_status_once_and_reminders_change_nothing()
    {
        var id = await SubmitFlu();
        var paymentId = Guid.NewGuid();
        await Publish(Calculated(id, paymentId, approval: true));
        await Client.WaitForStatus(id, "calculated");
        await Publish(new PaymentAwaitingApproval(paymentId, id, 1, ods, "QWE", "FLU", "2026-10", 1207.20m, "GBP", "QOF", Now.AddDays(2), 0));
        await Client.WaitForStatus(id, "awaiting-approval");
        await Publish(new PaymentAwaitingApproval(paymentId, id, 1, ods, "QWE", "FLU", "2026-10", 1207.20m, "GBP", "QOF", Now.AddDays(4), 1));
        await Publish(new PaymentApproved(paymentId, id, 1, ods, "commissioner-QWE", Now));
        await Client.WaitForStatus(id, "approved");
        await Publish(Settled(id, paymentId));

        var paid = await Client.WaitForStatus(id, "paid");
        Assert.Equal(["received", "validated", "calculated", "awaiting-approval", "approved", "paid"], paid.Statuses());
    }

    [Fact]
    public async Task Events_arriving_out_of_order_never_move_the_status_backwards()
    {
        var id = await SubmitFlu();
        var paymentId = Guid.NewGuid();
        await Publish(Settled(id, paymentId));
        await Client.WaitForStatus(id, "paid");

        await Publish(Calculated(id, paymentId));
        await Publish(new PaymentApproved(paymentId, id, 1, ods, "commissioner-QWE", Now));
        // A marker processed after those: a rejection of the same version, which must not apply either.
        await Publish(new PaymentRefused(id, 1, ods, "FLU", "2026-10", "late", "late", Now, null));
        await Task.Delay(1000, Cancel);

        var after = await Client.Get<SubmissionView>($"/api/submissions/{id}");
        Assert.Equal("paid", after.Status);
        // The late steps join the timeline once each; the late rejection does not.
        Assert.Equal(["approved", "calculated", "paid", "received", "validated"], after.Statuses().Order());
        Assert.Equal("paid", after.Payment?.Outcome);
    }

    [Fact]
    public async Task A_replayed_event_is_recorded_once_whatever_its_message_id()
    {
        var id = await SubmitFlu();
        var paymentId = Guid.NewGuid();
        var calculated = Calculated(id, paymentId);
        var messageId = NewId.NextGuid();
        await Publish(calculated, messageId);
        await Publish(calculated, messageId);
        await Publish(calculated);
        await Client.WaitForStatus(id, "calculated");
        var settled = Settled(id, paymentId);
        await Publish(settled);
        await Publish(settled);
        await Client.WaitForStatus(id, "paid");
        await Task.Delay(500, Cancel);

        var after = await Client.Get<SubmissionView>($"/api/submissions/{id}");
        Assert.Equal(["received", "validated", "calculated", "paid"], after.Statuses());
        Assert.Equal(4, await factory.CountAsync($"SELECT count(*) FROM timeline_entries WHERE submission_id = '{id}'"));
    }

    [Fact]
    public async Task A_declined_payment_ends_declined_with_the_reason()
    {
        var id = await SubmitFlu();
        var paymentId = Guid.NewGuid();
        await Publish(Calculated(id, paymentId, approval: true));
        await Publish(new PaymentDeclined(paymentId, id, 1, ods, "FLU", "2026-10", 1207.20m, "Counts do not match the clinical system.", "commissioner-QWE", Now));

        var declined = await Client.WaitForStatus(id, "declined");
        Assert.Equal("declined", declined.Payment?.Outcome);
        Assert.Equal("Counts do not match the clinical system.", declined.Payment?.Reason);
        // The two events travel on separate queues, so the calculated entry may be written after the declined one.
        Assert.Contains(declined.Timeline, entry => entry.Status == "declined" && entry.Detail.Contains("Counts do not match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_timeline_names_the_commissioner_who_decided_not_their_user_id()
    {
        var approvedId = await SubmitFlu();
        var approvedPayment = Guid.NewGuid();
        await Publish(Calculated(approvedId, approvedPayment, approval: true));
        await Publish(new PaymentApproved(approvedPayment, approvedId, 1, ods, "0198c0de-0000-7000-8000-000000000001", Now, "Casey Commissioner"));
        var approved = await Client.WaitForStatus(approvedId, "approved");
        var approvedStep = approved.Timeline.Single(entry => entry.Status == "approved");
        Assert.Equal("Payment approved by Casey Commissioner.", approvedStep.Detail);

        var declinedId = await SubmitFlu("2026-09");
        var declinedPayment = Guid.NewGuid();
        await Publish(Calculated(declinedId, declinedPayment, approval: true));
        await Publish(new PaymentDeclined(declinedPayment, declinedId, 1, ods, "FLU", "2026-09", 1207.20m, "Counts differ.", "0198c0de-0000-7000-8000-000000000001", Now, "Casey Commissioner"));
        var declined = await Client.WaitForStatus(declinedId, "declined");
        // The declined step itself: steps stamped at the same moment come back in no fixed order, so not "the last one".
        var declinedStep = declined.Timeline.Single(entry => entry.Status == "declined");
        Assert.DoesNotContain("0198c0de", declinedStep.Detail);
        Assert.Contains("Casey Commissioner", declinedStep.Detail);
    }

    [Fact]
    public async Task A_failed_payment_ends_payment_failed_and_an_admin_retry_can_still_pay_it()
    {
        var id = await SubmitFlu();
        var paymentId = Guid.NewGuid();
        await Publish(Calculated(id, paymentId));
        await Client.WaitForStatus(id, "calculated");
        await Publish(new PaymentFailed(paymentId, id, 1, ods, "FLU", "2026-10", 1207.20m, "Ledger unavailable after 5 attempts.", Now));
        var failed = await Client.WaitForStatus(id, "payment-failed");
        Assert.Equal("Ledger unavailable after 5 attempts.", failed.Payment?.Reason);

        await Publish(Settled(id, paymentId));

        var paid = await Client.WaitForStatus(id, "paid");
        Assert.Equal(["received", "validated", "calculated", "payment-failed", "paid"], paid.Statuses());
    }

    [Fact]
    public async Task A_refused_payment_ends_the_submission_rejected_with_the_code()
    {
        var id = await SubmitFlu();
        await Publish(new PaymentRefused(id, 1, ods, "FLU", "2026-10", PaymentRefusalCodes.NoPaymentRule, "No payment rule for FLU in 2026/27.", Now, null));

        var rejected = await Client.WaitForStatus(id, "rejected");
        Assert.Equal("Rejected (no_payment_rule): No payment rule for FLU in 2026/27.",
            rejected.Timeline.Last().Detail);
    }

    [Fact]
    public async Task A_rejection_published_before_payment_refusals_still_ends_the_submission_rejected()
    {
        // Payments published SubmissionRejected before it published PaymentRefused: one still queued in a rolling deployment.
        var id = await SubmitFlu();
        await Publish(new SubmissionRejected(id, 1, ods, "FLU", "2026-10", "no_payment_rule", "No payment rule for FLU in 2026/27.", Now));

        var rejected = await Client.WaitForStatus(id, "rejected");
        Assert.Contains("no_payment_rule", rejected.Timeline.Last().Detail);
    }

    [Fact]
    public async Task The_event_stream_sends_each_status_change_and_ends_at_the_outcome()
    {
        var id = await SubmitFlu();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/submissions/{id}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reading = ReadStatuses(await response.Content.ReadAsStreamAsync(Cancel));

        var paymentId = Guid.NewGuid();
        await Publish(Calculated(id, paymentId));
        await Client.WaitForStatus(id, "calculated");
        await Publish(Settled(id, paymentId));

        var statuses = await reading.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        Assert.Equal(["received", "validated", "calculated", "paid"], statuses);
    }

    [Fact]
    public async Task A_settlement_that_overtakes_its_calculation_still_streams_calculated_then_paid()
    {
        var id = await SubmitFlu();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/submissions/{id}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        var reading = ReadStatuses(await response.Content.ReadAsStreamAsync(Cancel));

        // Payments' events travel on separate queues: here the settlement arrives and the calculation never has.
        var paymentId = Guid.NewGuid();
        await Publish(Settled(id, paymentId) with { CalculatedAt = factory.Time.GetUtcNow() });

        // Someone following the submission sees every step, in order, before the stream ends at paid.
        Assert.Equal(["received", "validated", "calculated", "paid"], await reading.WaitAsync(TimeSpan.FromSeconds(30), Cancel));
        var paid = await Client.Get<SubmissionView>($"/api/submissions/{id}");
        Assert.Equal("paid", paid.Status);

        // The calculation arriving later changes nothing: calculated stays on the timeline once.
        await Publish(Calculated(id, paymentId));
        await Task.Delay(1000, Cancel);
        Assert.Equal(["received", "validated", "calculated", "paid"], (await Client.Get<SubmissionView>($"/api/submissions/{id}")).Statuses());
    }

    [Fact]
    public async Task The_event_stream_resumes_after_the_last_event_id()
    {
        var id = await SubmitFlu();
        var paymentId = Guid.NewGuid();
        await Publish(Calculated(id, paymentId));
        await Client.WaitForStatus(id, "calculated");
        await Publish(Settled(id, paymentId));
        await Client.WaitForStatus(id, "paid");
        var secondEntry = await factory.CountAsync($"SELECT min(id) + 1 FROM timeline_entries WHERE submission_id = '{id}'");

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/submissions/{id}/events");
        request.Headers.Add("Last-Event-ID", secondEntry.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);

        Assert.Equal(["calculated", "paid"], await ReadStatuses(await response.Content.ReadAsStreamAsync(Cancel)).WaitAsync(TimeSpan.FromSeconds(30), Cancel));
    }

    private static async Task<List<string>> ReadStatuses(Stream stream)
    {
        var statuses = new List<string>();
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync(Cancel))
        {
            Assert.Equal("status", item.EventType);
            Assert.False(string.IsNullOrEmpty(item.EventId));
            var change = JsonSerializer.Deserialize<StatusChangeEvent>(item.Data, ApiJson);
            statuses.Add(change?.Status ?? throw new InvalidOperationException("An event without data."));
        }
        return statuses;
    }
}
