using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Messaging;
using Platform.Testing;

namespace Messaging.Tests;

/// <summary>This class's own event: a class that runs beside it asserts every <see cref="ParcelDispatched"/> it receives.</summary>
public sealed record LabelPrinted(int Number);

public sealed class LabelPrintedConsumer(Deliveries deliveries) : IConsumer<LabelPrinted>
{
    public Task Consume(ConsumeContext<LabelPrinted> context)
    {
        deliveries.Record(context);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The services prepare the statements they repeat on the server (Npgsql's Max Auto Prepare, set by
/// AddServiceDatabase). A prepared statement's result columns are fixed when it is prepared, so one that reads
/// <c>SELECT *</c> fails ("cached plan must not change result type") once a migration of a newer version adds a column.
/// </summary>
public sealed class PreparedStatementTests(MessagingServers servers)
{
    [Fact]
    public async Task The_sweep_prepared_on_the_server_still_publishes_after_a_migration_adds_a_column_to_the_outbox()
    {
        var database = await servers.CreateDatabaseAsync("prepared");
        await TestDb.CreateSchemaAsync(database);
        var prepared = new NpgsqlConnectionStringBuilder(database) { MaxAutoPrepare = 20, AutoPrepareMinUsages = 2 }.ConnectionString;
        var settings = new Dictionary<string, string?>
        {
            ["Messaging:SweepInterval"] = "00:00:00.100", ["Messaging:SweepIntervalWhenIdle"] = "00:00:00.100", ["Messaging:SweepAfter"] = "00:00:00",
        };
        var failures = new FailedDispatches();
        await using var host = await TestHost.StartAsync(servers, prepared, Names.UniqueService("prepared"),
            bus => bus.AddConsumer<LabelPrintedConsumer>(), settings, services: services => services.AddSingleton<ILoggerProvider>(failures));

        // Rows no dispatcher was handed (saved without the outbox's interceptor), so only the sweep's claim finds them; a
        // sweep claims only when it sees due rows, so one row at a time, until the claim has run often enough to be prepared.
        for (var number = 1; number <= 4; number++)
        {
            await SaveUnhandedAsync(database, number);
            await host.Deliveries.WaitForAsync(all => all.Count >= number);
        }

        await using (var db = TestDb.Open(database))
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE outbox_messages ADD COLUMN added_by_a_later_version text",
                TestContext.Current.CancellationToken);
        }

        await SaveUnhandedAsync(database, 5);
        var delivered = await host.Deliveries.WaitForAsync(all => all.Count >= 5);
        Assert.Equal([1, 2, 3, 4, 5], delivered.Select(d => ((LabelPrinted)d.Message).Number).Order());
        Assert.Empty(failures.Errors); // with SELECT *, the first claim after the ALTER failed (Npgsql then prepares it again)
    }

    /// <summary>Records the exceptions the outbox dispatcher logs when a dispatch fails.</summary>
    private sealed class FailedDispatches : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Errors { get; } = new();

        public ILogger CreateLogger(string categoryName) => categoryName.Contains("OutboxDispatcher", StringComparison.Ordinal) ? this : NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is not null) Errors.Enqueue($"{formatter(state, exception)}: {exception.Message}");
        }

        public void Dispose()
        {
        }
    }

    private static async Task SaveUnhandedAsync(string database, int number)
    {
        await using var db = TestDb.Open(database);
        db.AddOutboxMessage(new LabelPrinted(number));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
