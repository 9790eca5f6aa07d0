using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Application;
using Payments.Api.Data;
using Payments.Api.Domain;
using Platform.Contracts.Identity;
using Platform.Contracts.Payments;
using Platform.Testing;
using static Payments.Tests.TestData;

namespace Payments.Tests;

/// <summary>Replays, replicas and a failing ledger never make a second ledger entry or lose a payment.</summary>
public sealed class LedgerSafetyTests(MessagingServers servers)
{
    [Fact]
    public async Task Replaying_every_event_into_every_consumer_makes_no_second_payment_or_ledger_entry()
    {
        await using var factory = await PaymentsApiFactory.CreateAsync(servers);
        var ods = NewOds();
        var registered = new PracticeRegistered(ods, "Replay Surgery", "QWE", 9_720, PaymentsApiFactory.Today);
        var accepted = Flu(ods);
        var messageId = NewId.NextGuid();
        await factory.Bus.Deliver(registered);
        await factory.Bus.Deliver(registered);
        await factory.Bus.Deliver(accepted, messageId);
        await factory.WaitForStatus(accepted.SubmissionId, 1, "paid");

        await factory.Bus.Deliver(accepted, messageId);              // a redelivery: the inbox drops it
        await factory.Bus.Deliver(accepted);                         // a republish with a new MessageId: the payment is found
        await factory.Bus.Deliver(accepted);
        await factory.Bus.Deliver(registered);
        var marker = Flu(NewOds());                                  // processed after the replays on the same queue
        await factory.Bus.Deliver(marker);
        await factory.WaitForStatus(marker.SubmissionId, 1, "paid");

        Assert.Equal(1, await factory.CountAsync($"SELECT count(*) FROM payments WHERE submission_id = '{accepted.SubmissionId}'"));
        Assert.Equal(1, await factory.CountAsync($"SELECT count(*) FROM ledger_entries WHERE submission_id = '{accepted.SubmissionId}'"));
        Assert.Single(await factory.EventsAsync<PaymentSettled>(accepted.SubmissionId));
        Assert.Equal(1, await factory.CountAsync($"SELECT count(*) FROM practices WHERE ods = '{ods}'"));
    }

    [Fact]
    public async Task Two_replicas_consuming_and_posting_at_once_make_one_ledger_entry_per_submission()
    {
        var database = await servers.CreateDatabaseAsync("payments");
        var broker = await PaymentsApiFactory.NewVirtualHostAsync(servers);
        await using var first = await PaymentsApiFactory.CreateAsync(servers, connectionString: database, broker: broker);
        await using var second = await PaymentsApiFactory.CreateAsync(servers, connectionString: database, broker: broker);
        var submissions = Enumerable.Range(0, 20).Select(_ => Flu(NewOds())).ToList();

        // Each submission is published to both replicas' shared queue three times: once from each replica and once more.
        await Task.WhenAll(submissions.Select(async s =>
        {
            await first.Bus.Deliver(s);
            await second.Bus.Deliver(s);
            await first.Bus.Deliver(s);
        }));

        foreach (var s in submissions) await first.WaitForStatus(s.SubmissionId, 1, "paid");
        await Task.Delay(1000, Cancel);
        Assert.Equal(20, await first.CountAsync("SELECT count(*) FROM payments"));
        Assert.Equal(20, await first.CountAsync("SELECT count(*) FROM ledger_entries"));
        Assert.Equal(20, await first.CountAsync("SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'Platform.Contracts.Payments.PaymentSettled,%'"));
    }

    [Fact]
    public async Task The_ledger_refuses_a_second_entry_for_a_submission_version_or_a_period()
    {
        await using var factory = await PaymentsApiFactory.CreateAsync(servers);
        var accepted = Flu(NewOds());
        await factory.Bus.Deliver(accepted);
        await factory.WaitForStatus(accepted.SubmissionId, 1, "paid");

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        // Another period, so that only the one-entry-per-version rule can refuse it.
        db.Ledger.Add(new LedgerEntry
        {
            PaymentId = Guid.NewGuid(), SubmissionId = accepted.SubmissionId, SubmissionVersion = 1, PracticeOds = accepted.PracticeOds,
            ServiceCode = "FLU", Period = "2026-11", Amount = 1m, Currency = "GBP", RemittanceReference = $"{accepted.PracticeOds}-ZZZZZZZZZZ",
            PostedAt = PaymentsApiFactory.Today,
        });
        await AssertRefusedBy("ix_ledger_entries_submission_id_submission_version", db);
        db.ChangeTracker.Clear();
        db.Ledger.Add(new LedgerEntry
        {
            PaymentId = Guid.NewGuid(), SubmissionId = Guid.NewGuid(), SubmissionVersion = 2, PracticeOds = accepted.PracticeOds,
            ServiceCode = "FLU", Period = "2026-10", Amount = 1m, Currency = "GBP", RemittanceReference = $"{accepted.PracticeOds}-YYYYYYYYYY",
            PostedAt = PaymentsApiFactory.Today,
        });
        await AssertRefusedBy("ix_ledger_entries_practice_ods_service_code_period", db);
    }

    private static async Task AssertRefusedBy(string uniqueIndex, PaymentsDbContext db)
    {
        var refused = await Assert.ThrowsAsync<Microsoft.EntityFrameworkCore.DbUpdateException>(() => db.SaveChangesAsync(Cancel));
        Assert.Equal(uniqueIndex, Assert.IsType<Npgsql.PostgresException>(refused.InnerException).ConstraintName);
    }

    [Fact]
    public async Task A_posting_that_keeps_failing_ends_payment_failed_with_the_reason_and_an_admin_retry_pays_it()
    {
        var ledger = new FlakyLedger();
        await using var factory = await PaymentsApiFactory.CreateAsync(servers, ledger);
        var accepted = Flu(NewOds());
        await factory.Bus.Deliver(accepted);

        var failed = await factory.WaitForStatus(accepted.SubmissionId, 1, "payment-failed");
        Assert.Equal(3, failed.PostingAttempts);
        Assert.Equal("The finance system is unavailable.", failed.FailureReason);
        var failedEvent = Assert.Single(await factory.EventsAsync<PaymentFailed>(accepted.SubmissionId));
        Assert.Equal("The finance system is unavailable. (after 3 attempts)", failedEvent.Reason);
        Assert.Equal(0, await factory.CountAsync($"SELECT count(*) FROM ledger_entries WHERE submission_id = '{accepted.SubmissionId}'"));

        var paymentId = failed.Id;
        var notAdmin = await factory.ClientFor(TestTokens.Commissioner("QWE")).PostAsync($"/api/payments/{paymentId}/retry", null, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        ledger.Working = true;
        var retry = await factory.ClientFor(TestTokens.PlatformAdmin()).PostAsync($"/api/payments/{paymentId}/retry", null, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);

        var paid = await factory.WaitForStatus(accepted.SubmissionId, 1, "paid");
        Assert.Equal(["calculated", "payment-failed", "payment-failed", "paid"],
            paid.History.Select(h => h.Status));
        Assert.Single(await factory.EventsAsync<PaymentSettled>(accepted.SubmissionId));
        var again = await factory.ClientFor(TestTokens.PlatformAdmin()).PostAsync($"/api/payments/{paymentId}/retry", null, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(new PaymentConflict("payment_not_failed", "paid"), await again.Read<PaymentConflict>());
    }

    private sealed class FlakyLedger : ILedger
    {
        private readonly DatabaseLedger real = new();

        public volatile bool Working;

        public Task<LedgerEntry> PostAsync(PaymentsDbContext db, Payment payment, string remittanceReference, DateTimeOffset now, CancellationToken cancellationToken) =>
            Working ? real.PostAsync(db, payment, remittanceReference, now, cancellationToken) : throw new InvalidOperationException("The finance system is unavailable.");
    }
}
