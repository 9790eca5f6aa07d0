using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Api.Data;
using Payments.Api.Domain;
using Platform.Testing;
using static Payments.Domain.Tests.PaymentsIn;
using static Payments.Tests.TestData;

namespace Payments.Tests;

/// <summary>Which payments the posting job takes: one rule, the same in memory and in the job's SQL.</summary>
public sealed class PostingRuleTests(MessagingServers servers)
{
    private static readonly DateTimeOffset Later = Now.AddHours(1);

    /// <summary>Every kind of payment the job might meet, each with whether it is due at <see cref="Now"/> and at <see cref="Later"/>.</summary>
    private static List<(string Name, Payment Payment, bool DueNow, bool DueLater)> Cases()
    {
        var retried = Status(PaymentStatus.PaymentFailed);
        retried.RequestRetry("admin", Now);
        var retryingLater = Calculated();
        retryingLater.PostingFailed("ledger down", Later, Now);
        var staleWithoutApproval = Payment.Calculate(Guid.CreateVersion7(), Guid.CreateVersion7(), 1, "A81001", "QWE", "FLU", "2026-10", "2026/27",
            [Line], false, null, null, Now, supersededBy: 2);
        return
        [
            ("calculated, no approval needed", Calculated(), true, true),
            ("calculated, approval needed", Calculated(approvalReason: "needs one"), false, false),
            ("awaiting approval", Status(PaymentStatus.AwaitingApproval), false, false),
            ("approved", Status(PaymentStatus.Approved), true, true),
            ("paid", Status(PaymentStatus.Paid), false, false),
            ("declined", Status(PaymentStatus.Declined), false, false),
            ("cancelled", Status(PaymentStatus.Cancelled), false, false),
            ("cancelled on arrival, had a posting time", staleWithoutApproval, false, false),
            ("payment-failed", Status(PaymentStatus.PaymentFailed), false, false),
            ("payment-failed, retry requested", retried, true, true),
            ("calculated, next attempt later", retryingLater, false, true),
        ];
    }

    [Fact]
    public void In_memory_a_payment_is_due_once_approved_or_needing_no_approval_or_retried_and_its_time_has_come()
    {
        foreach (var (name, payment, dueNow, dueLater) in Cases())
        {
            Assert.True(dueNow == payment.IsDueForPosting(Now), $"{name} at {Now}");
            Assert.True(dueLater == payment.IsDueForPosting(Later), $"{name} at {Later}");
            Assert.False(payment.IsDueForPosting(Now.AddMinutes(-1)), $"{name} before it was made");
        }
    }

    [Fact]
    public async Task The_posting_jobs_query_picks_exactly_the_payments_that_are_due_in_memory()
    {
        await using var factory = await PaymentsApiFactory.CreateAsync(servers, settings: new() { ["Payments:Ledger:Enabled"] = "false" });
        var cases = Cases();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
            db.Payments.AddRange(cases.Select(c => c.Payment));
            await db.SaveChangesAsync(Cancel);
        }

        foreach (var at in new[] { Now.AddMinutes(-1), Now, Later })
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
            var inSql = await db.Payments.DueForPosting(at).TagWith(SkipLocked.Tag).Select(p => p.Id).ToListAsync(Cancel);
            var loaded = await db.Payments.AsNoTracking().ToListAsync(Cancel);
            var inMemory = loaded.Where(p => p.IsDueForPosting(at)).Select(p => p.Id);

            Assert.Equal(inMemory.Order(), inSql.Order());
            Assert.Equal(cases.Where(c => at >= Later ? c.DueLater : at >= Now && c.DueNow).Select(c => c.Payment.Id).Order(), inSql.Order());
        }
    }

    [Fact]
    public async Task A_payment_one_posting_transaction_has_claimed_is_skipped_by_another()
    {
        await using var factory = await PaymentsApiFactory.CreateAsync(servers, settings: new() { ["Payments:Ledger:Enabled"] = "false" });
        var (first, second) = (Calculated(), Calculated());
        await using var one = factory.Services.CreateAsyncScope();
        await using var other = factory.Services.CreateAsyncScope();
        var db = one.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var otherDb = other.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        db.Payments.AddRange(first, second);
        await db.SaveChangesAsync(Cancel);

        // Both transactions stay open: the second claim runs while the first still holds its row.
        var (claimed, next) = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var claiming = await db.Database.BeginTransactionAsync(Cancel);
            var claimed = await db.Payments.DueForPosting(Now).TagWith(SkipLocked.Tag).FirstAsync(Cancel);
            var next = await otherDb.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var meanwhile = await otherDb.Database.BeginTransactionAsync(Cancel);
                return await otherDb.Payments.DueForPosting(Now).TagWith(SkipLocked.Tag).FirstAsync(Cancel);
            });
            return (claimed, next);
        });

        Assert.Equal(new[] { first.Id, second.Id }.Order(), new[] { claimed.Id, next.Id }.Order());
    }
}
