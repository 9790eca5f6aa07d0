using System.Net.Http.Json;
using Platform.Contracts.Payments;
using Platform.Contracts.Submissions;
using Platform.Testing;
using static Payments.Tests.TestData;

namespace Payments.Tests;

/// <summary>A newer version cancels an earlier payment that is not approved yet; after approval it is rejected; never paid twice.</summary>
public sealed class AmendingTests(SharedPayments shared) : IClassFixture<SharedPayments>
{
    private readonly PaymentsApiFactory factory = shared.Factory;
    private readonly string ods = NewOds();
    private readonly Guid submission = Guid.CreateVersion7();

    [Fact]
    public async Task A_new_version_cancels_the_earlier_payment_awaiting_approval()
    {
        await factory.Bus.Deliver(Accepted(submission, 1, ods, "QOF", "2026-Q2", ("AF008", 20m)));
        var first = await factory.WaitForStatus(submission, 1, "awaiting-approval");
        var second = Guid.CreateVersion7();

        await factory.Bus.Deliver(Accepted(second, 2, ods, "QOF", "2026-Q2", ("AF008", 22m)));

        await factory.WaitForStatus(second, 2, "awaiting-approval");
        var cancelled = await factory.WaitForStatus(submission, 1, "cancelled");
        Assert.Equal(first.Id, cancelled.Id);
        Assert.Equal("Superseded by version 2.", Assert.Single(await factory.EventsAsync<PaymentCancelled>(submission)).Reason);

        var response = await factory.ClientFor(TestTokens.Commissioner("QWE")).PostAsJsonAsync(
            $"/api/payments/{first.Id}/decision", new { decision = "approve" }, Cancel);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode); // unknown practice: no ICB yet, so no commissioner sees it
    }

    [Fact]
    public async Task Two_versions_in_quick_succession_end_with_exactly_one_paid_and_the_other_cancelled_or_rejected_as_locked()
    {
        // The posting job is quick: the first version may be cancelled before it is posted (and the new one paid), or already
        // paid (and the new one rejected as locked). Which happens is a race; that exactly one is paid is not.
        await factory.Bus.Deliver(Accepted(submission, 1, ods, "FLU", "2026-10", ("FLU_65_PLUS", 100m)));
        var second = Guid.CreateVersion7();
        await factory.Bus.Deliver(Accepted(second, 2, ods, "FLU", "2026-10", ("FLU_65_PLUS", 110m)));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await factory.EventsAsync<PaymentSettled>(submission)).Count + (await factory.EventsAsync<PaymentSettled>(second)).Count == 0
            || ((await factory.EventsAsync<PaymentCancelled>(submission)).Count == 0 && (await factory.EventsAsync<PaymentRefused>(second)).Count == 0))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("Neither version reached an outcome.");
            await Task.Delay(50, Cancel);
        }
        await Task.Delay(500, Cancel);
        Assert.Equal(1, await factory.CountAsync($"SELECT count(*) FROM ledger_entries WHERE practice_ods = '{ods}'"));
        Assert.Equal(1, await factory.CountAsync($"SELECT count(*) FROM payments WHERE practice_ods = '{ods}' AND status = 'paid'"));
        if ((await factory.EventsAsync<PaymentSettled>(submission)).Count == 1)
        {
            Assert.Equal("submission_locked", Assert.Single(await factory.EventsAsync<PaymentRefused>(second)).Code);
            Assert.Empty(await factory.EventsAsync<PaymentCancelled>(submission));
        }
        else
        {
            Assert.Single(await factory.EventsAsync<PaymentSettled>(second));
            Assert.Equal("Superseded by version 2.", Assert.Single(await factory.EventsAsync<PaymentCancelled>(submission)).Reason);
        }
    }

    [Fact]
    public async Task After_approval_a_new_version_is_refused_as_locked()
    {
        await factory.Bus.Deliver(new Platform.Contracts.Identity.PracticeRegistered(ods, "Locked Surgery", "QWE", 9_720, PaymentsApiFactory.Today));
        await Task.Delay(300, Cancel);
        await factory.Bus.Deliver(Accepted(submission, 1, ods, "QOF", "2026-Q2", ("AF008", 20m)));
        var first = await factory.WaitForStatus(submission, 1, "awaiting-approval");
        var approve = await factory.ClientFor(TestTokens.Commissioner("QWE")).PostAsJsonAsync(
            $"/api/payments/{first.Id}/decision", new { decision = "approve" }, Cancel);
        Assert.Equal(System.Net.HttpStatusCode.OK, approve.StatusCode);
        var second = Guid.CreateVersion7();

        await factory.Bus.Deliver(Accepted(second, 2, ods, "QOF", "2026-Q2", ("AF008", 25m)));

        var refused = Assert.Single(await factory.WaitForEvents<PaymentRefused>(second));
        Assert.Equal("submission_locked", refused.Code);
        Assert.Equal(2, refused.SubmissionVersion);
        // The approved version may already be posted by then: either locks the period.
        Assert.Matches("^Version 1 of QOF 2026-Q2 was already (approved|paid); it cannot be amended\\.$", refused.Reason);
        Assert.Empty(await factory.EventsAsync<SubmissionRejected>(second));
        await factory.WaitForStatus(submission, 1, "paid");
        Assert.Equal(0, await factory.CountAsync($"SELECT count(*) FROM payments WHERE submission_id = '{second}'"));
        Assert.Empty(await factory.EventsAsync<PaymentCancelled>(submission));
    }

    [Fact]
    public async Task An_older_version_arriving_after_a_newer_one_is_cancelled_at_once()
    {
        var second = Guid.CreateVersion7();
        await factory.Bus.Deliver(Accepted(second, 2, ods, "QOF", "2026-Q2", ("AF008", 22m)));
        await factory.WaitForStatus(second, 2, "awaiting-approval");

        await factory.Bus.Deliver(Accepted(submission, 1, ods, "QOF", "2026-Q2", ("AF008", 20m)));

        var stale = await factory.WaitForStatus(submission, 1, "cancelled");
        Assert.Equal("Superseded by version 2.", Assert.Single(await factory.EventsAsync<PaymentCancelled>(submission)).Reason);
        Assert.Empty(await factory.EventsAsync<PaymentCalculated>(submission));
        Assert.Equal(["calculated", "cancelled"], stale.History.Select(h => h.Status));
        var newer = Assert.Single(await factory.WaitForPayments(second, _ => true));
        Assert.Equal("awaiting-approval", newer.Status);
        Assert.Empty(await factory.EventsAsync<PaymentCancelled>(second));
    }

    [Fact]
    public async Task An_older_version_arriving_after_a_newer_one_was_paid_is_cancelled_not_rejected_as_an_amendment()
    {
        // Two replicas consume one queue: version 2 can be calculated and paid before version 1 is even read.
        var second = Guid.CreateVersion7();
        await factory.Bus.Deliver(Accepted(second, 2, ods, "FLU", "2026-10", ("FLU_65_PLUS", 12m)));
        await factory.WaitForStatus(second, 2, "paid");

        await factory.Bus.Deliver(Accepted(submission, 1, ods, "FLU", "2026-10", ("FLU_65_PLUS", 10m)));

        await factory.WaitForStatus(submission, 1, "cancelled");
        Assert.Equal("Superseded by version 2.", Assert.Single(await factory.EventsAsync<PaymentCancelled>(submission)).Reason);
        Assert.Empty(await factory.EventsAsync<PaymentRefused>(submission));
        Assert.Equal(1, await factory.CountAsync($"SELECT count(*) FROM ledger_entries WHERE practice_ods = '{ods}'"));
    }
}
