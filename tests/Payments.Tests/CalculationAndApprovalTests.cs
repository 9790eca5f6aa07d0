using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Apis;
using Payments.Api.Jobs;
using Platform.Contracts.Identity;
using Platform.Contracts.Payments;
using Platform.Contracts.Submissions;
using Platform.ServiceDefaults;
using Platform.Testing;
using static Payments.Tests.TestData;

namespace Payments.Tests;

public sealed class CalculationAndApprovalTests(SharedPayments shared) : IClassFixture<SharedPayments>
{
    private readonly PaymentsApiFactory factory = shared.Factory;
    private readonly string ods = NewOds();

    private async Task Register(string practice, string icb, int listSize)
    {
        await factory.Bus.Deliver(new PracticeRegistered(practice, "Test Surgery", icb, listSize, PaymentsApiFactory.Today));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await factory.CountAsync($"SELECT count(*) FROM practices WHERE ods = '{practice}' AND list_size = {listSize}") == 0)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("The practice never arrived.");
            await Task.Delay(50, Cancel);
        }
    }

    private static Task<HttpResponseMessage> Decide(HttpClient client, Guid paymentId, string decision, string? reason = null) =>
        client.PostAsJsonAsync($"/api/payments/{paymentId}/decision", new { decision, reason }, Cancel);

    [Fact]
    public async Task An_item_submission_is_calculated_and_posted_in_one_transaction_and_announced_once_as_settled()
    {
        var accepted = Flu(ods);
        await factory.Bus.Deliver(accepted);

        var payment = await factory.WaitForStatus(accepted.SubmissionId, 1, "paid");
        Assert.Equal(1207.20m, payment.Amount);
        Assert.Equal(["calculated", "paid"], payment.History.Select(h => h.Status));
        var reference = payment.RemittanceReference;
        Assert.Matches($"^{ods}-[0-9A-Z]{{10}}$", reference);

        // Posted in the transaction that calculated it, so announced once: the settlement says when it was calculated.
        Assert.Empty(await factory.EventsAsync<PaymentCalculated>(accepted.SubmissionId));
        var settled = Assert.Single(await factory.EventsAsync<PaymentSettled>(accepted.SubmissionId));
        Assert.Equal(reference, settled.RemittanceReference);
        Assert.Equal(payment.CalculatedAt, settled.CalculatedAt);
        Assert.Equal(1207.20m, settled.Lines[0].Amount);
        Assert.Empty(await factory.EventsAsync<PaymentAwaitingApproval>(accepted.SubmissionId));
        Assert.Equal(1, await factory.CountAsync($"SELECT count(*) FROM ledger_entries WHERE submission_id = '{accepted.SubmissionId}' AND remittance_reference = '{reference}'"));

        var mine = await factory.ClientFor(TestTokens.PracticeUser(ods)).Get<PaymentView>($"/api/payments/{payment.Id}");
        Assert.Equal("paid", mine.Status);
        var other = await factory.ClientFor(TestTokens.PracticeUser(NewOds())).GetAsync($"/api/payments/{payment.Id}", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task A_submission_reads_its_practice_and_the_periods_payments_in_one_query()
    {
        await Register(ods, "QWE", 8_500);
        using var statements = new DatabaseStatements(factory.ConnectionString);
        using var cause = TestTracing.Source.StartActivity("practice submits")!;
        var accepted = Flu(ods);
        await factory.Bus.Deliver(accepted);
        cause.Stop();

        await factory.WaitForStatus(accepted.SubmissionId, 1, "paid");
        var reads = statements.InTrace(cause.TraceId).Where(text => text.StartsWith("SELECT", StringComparison.Ordinal)).ToList();
        // Each round trip is CPU on both ends: the practice's list size and ICB come with the period's payments.
        var read = Assert.Single(reads, text => text.Contains("FROM practices", StringComparison.Ordinal));
        Assert.Contains("FROM payments", read, StringComparison.Ordinal);
        Assert.Single(reads, text => text.Contains("FROM payments", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_qof_payment_waits_for_a_commissioner_of_the_practices_icb_who_approves_it_and_it_is_paid()
    {
        await Register(ods, "QWE", 8_500);
        var accepted = Accepted(ods, "QOF", "2026-Q2", ("AF008", 29m), ("DM012", 3.5m), ("HYP008", 12.25m));
        await factory.Bus.Deliver(accepted);

        var waiting = await factory.WaitForStatus(accepted.SubmissionId, 1, "awaiting-approval");
        Assert.Equal(9097.30m, waiting.Amount);
        Assert.Equal("QWE", waiting.Icb);
        var awaiting = Assert.Single(await factory.EventsAsync<PaymentAwaitingApproval>(accepted.SubmissionId));
        Assert.Equal((0, "QWE"), (awaiting.ReminderNumber, awaiting.Icb));
        Assert.Equal(waiting.CalculatedAt.AddDays(2), awaiting.DecideBy);
        var paymentId = waiting.Id;

        var commissioner = factory.ClientFor(TestTokens.Commissioner("QWE"));
        var queue = await commissioner.Get<PageOf<PaymentView>>($"/api/payments?status=awaiting-approval&practiceOds={ods}");
        Assert.Equal(paymentId, Assert.Single(queue.Items).Id);
        var elsewhere = factory.ClientFor(TestTokens.Commissioner("ZZZ"));
        var theirs = await elsewhere.GetAsync($"/api/payments?practiceOds={ods}", Cancel);
        var theirPage = await theirs.Read<PageOf<PaymentView>>();
        Assert.Equal((0, 0), (theirPage.Items.Count, theirPage.Total));
        var farAway = await commissioner.GetAsync($"/api/payments?practiceOds={ods}&page={int.MaxValue}&pageSize=200", Cancel);
        var pastTheEnd = await farAway.Read<PageOf<PaymentView>>();
        Assert.Equal((0, 1, 200), (pastTheEnd.Items.Count, pastTheEnd.Total, pastTheEnd.PageSize));
        Assert.Equal(HttpStatusCode.NotFound, (await Decide(elsewhere, paymentId, "approve")).StatusCode);
        var practiceUser = await Decide(factory.ClientFor(TestTokens.PracticeUser(ods)), paymentId, "approve");
        Assert.Equal(HttpStatusCode.Forbidden, practiceUser.StatusCode);
        Assert.Equal("forbidden", (await practiceUser.ReadProblemAsync(Cancel)).Code);

        var approved = await Decide(commissioner, paymentId, "approve");
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Decide(commissioner, paymentId, "approve")).StatusCode);

        var paid = await factory.WaitForStatus(accepted.SubmissionId, 1, "paid");
        Assert.Equal(["calculated", "awaiting-approval", "approved", "paid"], paid.History.Select(h => h.Status));
        Assert.Equal("commissioner-QWE", paid.DecidedBy);
        Assert.Single(await factory.EventsAsync<PaymentApproved>(accepted.SubmissionId));
        Assert.Single(await factory.EventsAsync<PaymentSettled>(accepted.SubmissionId));
        var late = await Decide(commissioner, paymentId, "decline", "too late");
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(new PaymentConflict("payment_not_awaiting_approval", "paid"), await late.Read<PaymentConflict>());
    }

    [Fact]
    public async Task A_declined_payment_ends_declined_with_the_reason_and_is_never_posted()
    {
        await Register(ods, "QWE", 9_720);
        var accepted = Qof(ods);
        await factory.Bus.Deliver(accepted);
        var paymentId = (await factory.WaitForStatus(accepted.SubmissionId, 1, "awaiting-approval")).Id;
        var commissioner = factory.ClientFor(TestTokens.Commissioner("QWE"));

        var noReason = await Decide(commissioner, paymentId, "decline");
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("reason", (await noReason.ReadProblemAsync(Cancel)).FieldErrors[0].Field);
        Assert.Equal(HttpStatusCode.BadRequest, (await Decide(commissioner, paymentId, "maybe")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Decide(commissioner, paymentId, "decline", "Figures do not match the extract.")).StatusCode);

        var declined = await factory.WaitForStatus(accepted.SubmissionId, 1, "declined");
        Assert.Equal("Figures do not match the extract.", declined.DecisionReason);
        Assert.Equal("Figures do not match the extract.", Assert.Single(await factory.EventsAsync<PaymentDeclined>(accepted.SubmissionId)).Reason);
        Assert.Equal(0, await factory.CountAsync($"SELECT count(*) FROM ledger_entries WHERE submission_id = '{accepted.SubmissionId}'"));
    }

    [Fact]
    public async Task An_item_payment_above_the_threshold_waits_for_approval()
    {
        var accepted = Flu(ods, 600); // 600 × £10.06 = £6,036.00
        await factory.Bus.Deliver(accepted);

        var waiting = await factory.WaitForStatus(accepted.SubmissionId, 1, "awaiting-approval");
        Assert.Equal(6036.00m, waiting.Amount);
        Assert.Contains("above the £5,000.00 approval threshold", waiting.ApprovalReason);
    }

    [Fact]
    public async Task A_payment_waiting_for_a_practice_not_yet_known_gets_its_icb_when_the_practice_is_registered()
    {
        var accepted = Qof(ods);
        await factory.Bus.Deliver(accepted);
        var waiting = await factory.WaitForStatus(accepted.SubmissionId, 1, "awaiting-approval");
        Assert.Null(waiting.Icb);
        Assert.Equal(232.47m, waiting.Lines[0].Rate); // unknown list size: the average

        await Register(ods, "QWE", 9_000);

        await factory.WaitForPayments(accepted.SubmissionId, ps => ps.Single().Icb == "QWE");
    }

    [Fact]
    public async Task A_submission_without_a_payment_rule_is_refused()
    {
        var accepted = Accepted(ods, "DENTAL", "2026-10", ("CHECKUPS", 10m));
        await factory.Bus.Deliver(accepted);

        var refused = Assert.Single(await factory.WaitForEvents<PaymentRefused>(accepted.SubmissionId));
        Assert.Equal("no_payment_rule", refused.Code);
        Assert.Equal(accepted.Version, refused.SubmissionVersion);
        Assert.Equal(ods, refused.PracticeOds);
        Assert.Equal("DENTAL", refused.ServiceCode);
        Assert.Empty(await factory.EventsAsync<SubmissionRejected>(accepted.SubmissionId));
        Assert.Equal(0, await factory.CountAsync($"SELECT count(*) FROM payments WHERE submission_id = '{accepted.SubmissionId}'"));
    }

    [Fact]
    public async Task An_undecided_payment_reminds_the_icbs_commissioners_after_its_window_and_again_after_the_next()
    {
        await Register(ods, "QWE", 9_720);
        var accepted = Qof(ods);
        await factory.Bus.Deliver(accepted);
        await factory.WaitForStatus(accepted.SubmissionId, 1, "awaiting-approval");
        var reminders = factory.Services.GetRequiredService<ApprovalReminderJob>();

        // The clock is shared by the class's tests: only this payment's reminders are counted.
        factory.Time.Advance(TimeSpan.FromDays(2));
        await reminders.RemindAsync(Cancel);
        await reminders.RemindAsync(Cancel);
        var events = await factory.EventsAsync<PaymentAwaitingApproval>(accepted.SubmissionId);
        Assert.Equal([0, 1], events.Select(e => e.ReminderNumber));
        Assert.Equal(factory.Time.GetUtcNow().AddDays(2), events[1].DecideBy);

        factory.Time.Advance(TimeSpan.FromDays(2));
        await reminders.RemindAsync(Cancel);
        Assert.Equal([0, 1, 2], (await factory.EventsAsync<PaymentAwaitingApproval>(accepted.SubmissionId)).Select(e => e.ReminderNumber));
    }

    [Fact]
    public async Task The_rules_of_a_financial_year_can_be_read()
    {
        var client = factory.ClientFor(TestTokens.PracticeUser(ods));
        var rules = await client.Get<RulesView>("/api/payments/rules?financialYear=2026/27");

        Assert.Equal(5000m, rules.ApprovalThreshold);
        var year = Assert.Single(rules.Years);
        Assert.Equal(9720, year.ListSize.EnglandAverage);
        var qof = year.Services.Single(s => s.ServiceCode == "QOF");
        Assert.Equal(232.47m, qof.ValuePerPoint);
        Assert.True(qof.RequiresApproval);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/payments/rules?financialYear=2019/20", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/payments/rules", Cancel)).StatusCode);
    }
}
