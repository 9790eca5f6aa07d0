using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Platform.Messaging;

/// <summary>
/// The two statements EF cannot express (a SKIP LOCKED claim and an ON CONFLICT insert), built from the service's model
/// so a default schema or renamed tables still work.
/// </summary>
internal sealed class OutboxSql
{
    private static readonly ConditionalWeakTable<IModel, OutboxSql> Cache = new();

    private OutboxSql(string hasDueRows, string claimBatch, string insertInbox, string backlog)
    {
        HasDueRows = hasDueRows;
        ClaimBatch = claimBatch;
        InsertInbox = insertInbox;
        Backlog = backlog;
    }

    /// <summary>Parameter: @now. Run through ADO.NET so idle polls do not fill the log with EF command entries.</summary>
    public string HasDueRows { get; }

    /// <summary>Parameters: {0} now, {1} batch size.</summary>
    public string ClaimBatch { get; }

    /// <summary>Parameters: {0} message id, {1} consumer name, {2} received at. Affects 0 rows when already there.</summary>
    public string InsertInbox { get; }

    /// <summary>Unsent rows: their count and the oldest one's creation time (null when none), through the partial index.</summary>
    public string Backlog { get; }

    public static OutboxSql For(DbContext db) =>
        Cache.GetValue(db.Model, _ => Build(db.Model, db.GetService<ISqlGenerationHelper>()));

    private static OutboxSql Build(IModel model, ISqlGenerationHelper sql)
    {
        var outbox = Table<OutboxMessage>(model, sql);
        var inbox = Table<InboxMessage>(model, sql);
        var due = $"{outbox.Column(nameof(OutboxMessage.SentAt))} IS NULL AND {outbox.Column(nameof(OutboxMessage.NextAttemptAt))} <=";
        var hasDueRows = $"SELECT EXISTS (SELECT 1 FROM {outbox.Name} WHERE {due} @now)";
        var claimBatch =
            $"SELECT * FROM {outbox.Name} WHERE {due} {{0}} " +
            $"ORDER BY {outbox.Column(nameof(OutboxMessage.Id))} LIMIT {{1}} FOR UPDATE SKIP LOCKED";
        var insertInbox =
            $"INSERT INTO {inbox.Name} ({inbox.Column(nameof(InboxMessage.MessageId))}, {inbox.Column(nameof(InboxMessage.ConsumerName))}, {inbox.Column(nameof(InboxMessage.ReceivedAt))}) " +
            "VALUES ({0}, {1}, {2}) ON CONFLICT DO NOTHING";
        var unsent = $"{outbox.Column(nameof(OutboxMessage.SentAt))} IS NULL";
        var backlog = $"SELECT count(*), min({outbox.Column(nameof(OutboxMessage.CreatedAt))}) FROM {outbox.Name} WHERE {unsent}";
        return new OutboxSql(hasDueRows, claimBatch, insertInbox, backlog);
    }

    private static MappedTable Table<TEntity>(IModel model, ISqlGenerationHelper sql)
    {
        var entity = model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model: call modelBuilder.AddOutboxAndInbox() in OnModelCreating.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return new MappedTable(
            sql.DelimitIdentifier(table.Name, table.Schema),
            property => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!));
    }

    private sealed record MappedTable(string Name, Func<string, string> Column);
}
