using MassTransit;
using Microsoft.EntityFrameworkCore;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

public sealed record LedgerChanged(string Label);

public sealed class LedgerChangedConsumer(Deliveries deliveries) : IConsumer<LedgerChanged>
{
    public Task Consume(ConsumeContext<LedgerChanged> context)
    {
        deliveries.Record(context);
        return Task.CompletedTask;
    }
}

public sealed class OutboxTransactionTests(MessagingServers servers)
{
    [Fact]
    public async Task Rolled_back_transaction_publishes_nothing_while_a_committed_one_is_delivered()
    {
        var database = await servers.CreateDatabaseAsync("rollback");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("rollback"), bus => bus.AddConsumer<LedgerChangedConsumer>());

        await host.InScopeAsync(db => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Effects.Add(new Effect { Label = "rolled back" });
            db.AddOutboxMessage(new LedgerChanged("rolled back"));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }));
        await host.InScopeAsync(async db =>
        {
            db.Effects.Add(new Effect { Label = "committed" });
            db.AddOutboxMessage(new LedgerChanged("committed"));
            await db.SaveChangesAsync();
        });

        await host.Deliveries.WaitForAsync(all => all.Any(d => d.Message is LedgerChanged { Label: "committed" }));
        // The rolled-back row was written first; give the dispatcher several more rounds to (wrongly) find it.
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);

        Assert.Equal(["committed"], host.Deliveries.All.Select(d => ((LedgerChanged)d.Message).Label));
        await using var check = TestDb.Open(database);
        Assert.Equal(1, await check.Set<OutboxMessage>().CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_unit_that_failed_after_saving_and_was_retried_publishes_only_what_the_retry_committed(bool failsAtCommit)
    {
        var database = await servers.CreateDatabaseAsync("failedcommit");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("failedcommit"), bus => bus.AddConsumer<LedgerChangedConsumer>());

        // As a retrying execution strategy runs a unit again on the same context after it failed with its outbox row saved:
        // the connection is cut (as when PostgreSQL crashes), then the commit fails, or a query before the commit does.
        var attempt = 0;
        await host.InScopeAsync(db => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            var label = ++attempt == 1 ? "failed attempt" : "retry";
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Effects.Add(new Effect { Label = label });
            db.AddOutboxMessage(new LedgerChanged(label));
            await db.SaveChangesAsync();
            if (attempt == 1)
            {
                await TerminateAsync(database, db);
                if (!failsAtCommit) await db.Effects.CountAsync();
            }
            await transaction.CommitAsync();
        }));

        await host.Deliveries.WaitForAsync(all => all.Any(d => d.Message is LedgerChanged { Label: "retry" }));
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);

        Assert.Equal(2, attempt);
        Assert.Equal(["retry"], host.Deliveries.All.Select(d => ((LedgerChanged)d.Message).Label));
        await using var check = TestDb.Open(database);
        Assert.Equal(1, await check.Set<OutboxMessage>().CountAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Ends the server session behind the context's open connection, from another connection.</summary>
    private static async Task TerminateAsync(string database, TestDb db)
    {
        var pid = ((Npgsql.NpgsqlConnection)db.Database.GetDbConnection()).ProcessID;
        await using var other = TestDb.Open(database);
        await other.Database.ExecuteSqlAsync($"SELECT pg_terminate_backend({pid})");
    }

    [Fact]
    public async Task Message_added_inside_an_explicit_transaction_is_delivered_after_commit()
    {
        var database = await servers.CreateDatabaseAsync("explicit");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("explicit"), bus => bus.AddConsumer<LedgerChangedConsumer>());

        await host.InScopeAsync(db => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.AddOutboxMessage(new LedgerChanged("first"));
            await db.SaveChangesAsync();
            db.AddOutboxMessage(new LedgerChanged("second"));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }));

        var delivered = await host.Deliveries.WaitForAsync(all => all.Count == 2);
        Assert.Equal(["first", "second"], delivered.Select(d => ((LedgerChanged)d.Message).Label).Order());
    }

    [Fact]
    public async Task A_committed_row_is_published_at_once_without_waiting_for_a_sweep()
    {
        var database = await servers.CreateDatabaseAsync("direct");
        await TestDb.CreateSchemaAsync(database);
        // After the start-up sweep the table is not read again for a minute: only the hand-over at commit can publish the row.
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("direct"), bus => bus.AddConsumer<LedgerChangedConsumer>(),
            new Dictionary<string, string?> { ["Messaging:SweepInterval"] = "00:01:00" });

        await host.InScopeAsync(async db =>
        {
            db.AddOutboxMessage(new LedgerChanged("handed over"));
            await db.SaveChangesAsync();
        });

        await host.Deliveries.WaitForAsync(all => all.Count == 1, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 50; i++)
        {
            await using var check = TestDb.Open(database);
            if (await check.Set<OutboxMessage>().AllAsync(row => row.SentAt != null, TestContext.Current.CancellationToken)) return;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail("The delivered row was not marked sent.");
    }

    [Fact]
    public async Task Rows_committed_one_after_another_are_marked_sent_together_not_one_statement_each()
    {
        var database = await servers.CreateDatabaseAsync("marksent");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("marksent"), bus => bus.AddConsumer<LedgerChangedConsumer>(),
            new Dictionary<string, string?> { ["Messaging:SweepInterval"] = "00:01:00" });

        using var marking = new MarkSentStatements(database);
        const int Rows = 20;
        for (var i = 0; i < Rows; i++)
        {
            var label = $"row {i}";
            await host.InScopeAsync(async db =>
            {
                db.AddOutboxMessage(new LedgerChanged(label));
                await db.SaveChangesAsync();
            });
            var published = i + 1;
            await host.Deliveries.WaitForAsync(all => all.Count == published); // published before the next one commits
        }

        await WaitUntilAllMarkedSentAsync(database);
        // At least one: the count sees the marking statements at all.
        Assert.True(marking.Count is >= 1 and <= Rows / 4, $"{Rows} rows published one by one were marked sent by {marking.Count} statements.");
    }

    private static async Task WaitUntilAllMarkedSentAsync(string database)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var check = TestDb.Open(database);
            if (!await check.Set<OutboxMessage>().AnyAsync(row => row.SentAt == null, TestContext.Current.CancellationToken)) return;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException("The published rows were not all marked sent within 10 seconds.");
    }

    [Fact]
    public async Task A_save_that_fails_inside_a_transaction_that_then_commits_publishes_only_what_was_saved()
    {
        var database = await servers.CreateDatabaseAsync("failedsave");
        await TestDb.CreateSchemaAsync(database);
        await using var host = await TestHost.StartAsync(servers, database, Names.UniqueService("failedsave"), bus => bus.AddConsumer<LedgerChangedConsumer>());

        await host.InScopeAsync(db => db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Effects.Add(new Effect { Id = 7, Label = "saved" });
            db.AddOutboxMessage(new LedgerChanged("saved"));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();

            // The same key again: the save fails and EF rolls back to its savepoint; the transaction goes on.
            db.Effects.Add(new Effect { Id = 7, Label = "refused" });
            db.AddOutboxMessage(new LedgerChanged("refused"));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
            db.ChangeTracker.Clear();

            db.AddOutboxMessage(new LedgerChanged("after"));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }));

        await host.Deliveries.WaitForAsync(all => all.Count >= 2);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // time for a wrong third one to arrive
        Assert.Equal(["after", "saved"], host.Deliveries.All.Select(d => ((LedgerChanged)d.Message).Label).Order());
    }
}
