using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Platform.Messaging;

/// <summary>
/// The statements EF cannot express (a SKIP LOCKED claim, updates by id lists), built from the service's model
/// so a default schema or renamed tables still work.
/// </summary>
internal sealed class OutboxSql
{
    private static readonly ConditionalWeakTable<IModel, OutboxSql> Cache = new();

    private OutboxSql(string look, string claimBatch, string markSent, string markFailed)
    {
        Look = look;
        ClaimBatch = claimBatch;
        MarkSent = markSent;
        MarkFailed = markFailed;
    }

    /// <summary>
    /// What a sweep sees, in one statement through the partial index of unsent rows: the rows due now, all unsent rows,
    /// and the oldest unsent row's creation time (null when none), the last two for the backlog metrics. Parameters: @now,
    /// @cutoff (never-tried rows created at or after it are still being published by their own process: with a clock standing
    /// still in tests, a row this process committed has exactly its start time). Run through ADO.NET
    /// so idle sweeps do not fill the log with EF command entries.
    /// </summary>
    public string Look { get; }

    /// <summary>Parameters: {0} now, {1} cutoff, {2} batch size.</summary>
    public string ClaimBatch { get; }

    /// <summary>Parameters: {0} the rows' ids (bigint[]), {1} when each was confirmed published (timestamptz[], same order).</summary>
    public string MarkSent { get; }

    /// <summary>Parameters: {0} id, {1} error, {2} next attempt at. Counts one more failed attempt of an unsent row.</summary>
    public string MarkFailed { get; }

    public static OutboxSql For(DbContext db) =>
        Cache.GetValue(db.Model, _ => Build(db.Model, db.GetService<ISqlGenerationHelper>()));

    private static OutboxSql Build(IModel model, ISqlGenerationHelper sql)
    {
        var outbox = Table<OutboxMessage>(model, sql);
                var unsent = $"{outbox.Column(nameof(OutboxMessage.SentAt))} IS NULL";
        string DueWhenUnsent(string now, string cutoff) =>
            $"{outbox.Column(nameof(OutboxMessage.NextAttemptAt))} <= {now} " +
            $"AND ({outbox.Column(nameof(OutboxMessage.CreatedAt))} < {cutoff} OR {outbox.Column(nameof(OutboxMessage.Attempts))} > 0)";
        string Due(string now, string cutoff) => $"{unsent} AND {DueWhenUnsent(now, cutoff)}";
        var id = outbox.Column(nameof(OutboxMessage.Id));
        var look = $"SELECT count(*) FILTER (WHERE {DueWhenUnsent("@now", "@cutoff")}), count(*), " +
            $"min({outbox.Column(nameof(OutboxMessage.CreatedAt))}) FROM {outbox.Name} WHERE {unsent}";
        var claimBatch = $"SELECT {outbox.Columns} FROM {outbox.Name} WHERE {Due("{0}", "{1}")} ORDER BY {id} LIMIT {{2}} FOR UPDATE SKIP LOCKED";
        var markSent = $"UPDATE {outbox.Name} AS o SET {outbox.Column(nameof(OutboxMessage.SentAt))} = m.sent_at " +
            $"FROM unnest({{0}}::bigint[], {{1}}::timestamptz[]) AS m(id, sent_at) WHERE o.{id} = m.id";
        var attempts = outbox.Column(nameof(OutboxMessage.Attempts));
        var markFailed =
            $"UPDATE {outbox.Name} SET {attempts} = {attempts} + 1, {outbox.Column(nameof(OutboxMessage.LastError))} = {{1}}, " +
            $"{outbox.Column(nameof(OutboxMessage.NextAttemptAt))} = {{2}} WHERE {id} = {{0}} AND {outbox.Column(nameof(OutboxMessage.SentAt))} IS NULL";
        return new OutboxSql(look, claimBatch, markSent, markFailed);
    }

    private static MappedTable Table<TEntity>(IModel model, ISqlGenerationHelper sql)
    {
        var entity = model.FindEntityType(typeof(TEntity))
            ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model: call modelBuilder.AddOutboxAndInbox() in OnModelCreating.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        // Columns named, not *: a prepared SELECT * fails once a migration adds a column (see MappedColumns in ServiceDefaults).
        return new MappedTable(
            sql.DelimitIdentifier(table.Name, table.Schema),
            property => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!),
            string.Join(", ", entity.GetProperties().Select(property => sql.DelimitIdentifier(property.GetColumnName(table)!))));
    }

    private sealed record MappedTable(string Name, Func<string, string> Column, string Columns);
}
