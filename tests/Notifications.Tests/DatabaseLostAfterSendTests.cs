using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Api.Data;
using Npgsql;
using Platform.Contracts.Payments;

namespace Notifications.Tests;

/// <summary>
/// The database goes away after the relay took an email and before the email is recorded as sent (PostgreSQL restarted).
/// The service knows it sent the email, so it records that once the database is back, and does not send it again.
/// Its own service and database, since it locks a table and ends the service's connection.
/// </summary>
public sealed class DatabaseLostAfterSendTests(NotificationsHost host) : IClassFixture<NotificationsHost>
{
    [Fact]
    public async Task An_email_sent_before_the_database_went_away_is_recorded_when_it_is_back_and_not_sent_again()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var ods = NotificationsHost.NewOds();
        var admin = await host.RegisterAsync("practice-admin", ods);

        // Hold the attempts table so the record of the send waits; then end the waiting connection as a restart would.
        await using var blocker = new NpgsqlConnection(host.Factory.ConnectionString);
        await blocker.OpenAsync(cancellationToken);
        await using var transaction = await blocker.BeginTransactionAsync(cancellationToken);
        await using (var lockAttempts = new NpgsqlCommand("LOCK TABLE email_attempts IN SHARE MODE", blocker, transaction))
        {
            await lockAttempts.ExecuteNonQueryAsync(cancellationToken);
        }

        var reference = $"{ods}-R{Random.Shared.Next(100000, 999999)}";
        await host.Publish(new PaymentSettled(Guid.CreateVersion7(), Guid.CreateVersion7(), 1, ods, "FLU", "2026-10", 123.45m, "GBP",
            [new PaymentLine("FLU_65_PLUS", 1, 123.45m, 123.45m)], reference, DateTimeOffset.UtcNow));
        await host.MailAsync(admin.Email, reference);
        var ended = await EndConnectionsWaitingForAsync(blocker, transaction, cancellationToken);
        Assert.True(ended > 0, "No connection of the service was waiting to record the send.");
        await transaction.RollbackAsync(cancellationToken);

        await host.WaitUntilAsync(db => db.Emails.AnyAsync(e => e.Recipient == admin.Email && e.Status == "sent", cancellationToken));
        await using (var scope = host.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            var email = await db.Emails.SingleAsync(e => e.Recipient == admin.Email, cancellationToken);
            Assert.Equal(["sent"], await db.EmailAttempts.Where(a => a.EmailId == email.Id).Select(a => a.Outcome).ToListAsync(cancellationToken));
        }
        Assert.Single(await host.MailToAsync(admin.Email), m => m.Subject.Contains(reference, StringComparison.Ordinal));
    }

    /// <summary>Waits until a connection to this database waits on the lock, then terminates every such connection.</summary>
    private static async Task<int> EndConnectionsWaitingForAsync(NpgsqlConnection blocker, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + NotificationsHost.MailWait;
        while (DateTime.UtcNow < deadline)
        {
            await using var terminate = new NpgsqlCommand(
                """
                SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'
                """, blocker, transaction);
            var ended = (long)(await terminate.ExecuteScalarAsync(cancellationToken))!;
            if (ended > 0) return (int)ended;
            await Task.Delay(100, cancellationToken);
        }
        return 0;
    }
}
