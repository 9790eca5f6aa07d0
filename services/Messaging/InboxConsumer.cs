using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Platform.Messaging;

/// <summary>
/// A consumer whose effect happens once per MessageId: the (MessageId, consumer) inbox row, the entities <see cref="Handle"/>
/// changes and any outbox messages it adds commit in one transaction. A redelivery runs <see cref="Handle"/> again and is rolled
/// back when its save meets the inbox row (or, first, a unique key of its own repeated effect); a failure rolls everything back
/// and rethrows, so MassTransit retries and finally moves the message to the _error queue.
/// </summary>
public abstract class InboxConsumer<TMessage, TDb>(TDb db) : IConsumer<TMessage>
    where TMessage : class
    where TDb : DbContext
{
    private readonly List<Action> afterCommit = [];

    protected TDb Db { get; } = db;

    /// <summary>Runs <paramref name="action"/> once this delivery's transaction has committed (to count what it stored); dropped on rollback.</summary>
    protected void AfterCommit(Action action) => afterCommit.Add(action);

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a MessageId, so it cannot be deduplicated.");
        var consumerName = GetType().FullName ?? GetType().Name;
        using var activity = MessagingDiagnostics.StartInboxActivity(context, typeof(TMessage), consumerName);
        try
        {
            var handled = await HandleOnceAsync(context, messageId, consumerName);
            activity?.SetTag("platform.inbox.duplicate", !handled);
            if (!handled)
            {
                ContextServices.Logger(Db, GetType()).LogInformation(
                    "{Consumer} already handled {MessageType} {MessageId}; ignoring the redelivery",
                    consumerName, typeof(TMessage).Name, messageId);
            }
        }
        catch (Exception e)
        {
            activity.RecordFailure(e);
            // The transaction rolled back: drop what Handle tracked, in case a retry runs on this same context.
            Db.ChangeTracker.Clear();
            throw;
        }
    }

    private void RunAfterCommit()
    {
        foreach (var action in afterCommit)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                // Committed already: a failing counter must not make MassTransit redeliver the message.
                ContextServices.Logger(Db, GetType()).LogWarning(e, "An after-commit action of {Consumer} failed", GetType().Name);
            }
        }

        afterCommit.Clear();
    }

    /// <summary>
    /// Whether <see cref="Handle"/>'s reads must see the same snapshot as its writes, and hold their locks until the commit
    /// (a read-modify-write of a row other deliveries change). When not, the reads run on their own, and the inbox row and
    /// the effect are saved as one batch of statements, which PostgreSQL runs as one implicit transaction: all or nothing,
    /// without the round trip of an explicit COMMIT.
    /// </summary>
    protected virtual bool ReadsInTransaction => true;

    /// <summary>Changes entities (and may call AddOutboxMessage) for the message; the base class saves and commits.</summary>
    protected abstract Task Handle(ConsumeContext<TMessage> context);

    /// <summary>
    /// Saves what <see cref="Handle"/> changed as one batch, so one implicit transaction; more than EF Core sends in one batch
    /// (it would split them, each batch committing on its own) goes in an explicit transaction instead.
    /// </summary>
    private async Task SaveAsOneBatchAsync(CancellationToken cancellationToken)
    {
        // Changes are detected once, for the count, not again by SaveChanges.
        var (behavior, detects) = (Db.Database.AutoTransactionBehavior, Db.ChangeTracker.AutoDetectChangesEnabled);
        Db.ChangeTracker.DetectChanges();
        Db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            if (Db.ChangeTracker.Entries().Count(entry => entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted) > MaxRowsInOneBatch)
            {
                await using var transaction = await Db.Database.BeginTransactionAsync(cancellationToken);
                await Db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(CancellationToken.None);
                return;
            }

            Db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
            await Db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            Db.Database.AutoTransactionBehavior = behavior;
            Db.ChangeTracker.AutoDetectChangesEnabled = detects;
        }
    }

    // Well under EF Core's batch size for PostgreSQL (1,000 statements): each row is a statement or two.
    private const int MaxRowsInOneBatch = 200;

    private async Task<bool> HandleOnceAsync(ConsumeContext<TMessage> context, Guid messageId, string consumerName)
    {
        var time = ContextServices.Time(Db);
        var attempt = 0;
        // A retrying strategy runs the whole unit again after a transient failure, so it must start from a clean context.
        return await Db.Database.CreateExecutionStrategy().ExecuteAsync(
            async cancellationToken =>
            {
                if (attempt++ > 0)
                {
                    Db.ChangeTracker.Clear();
                }

                afterCommit.Clear();

                await using var transaction = ReadsInTransaction ? await Db.Database.BeginTransactionAsync(cancellationToken) : null;
                // A failed save fails the whole unit, which runs again from the start: EF Core's savepoint around each save
                // (two more round trips) would never be rolled back to.
                Db.Database.AutoSavepointsEnabled = false;
                // The inbox row goes in the same batch as the effect, not a statement of its own before it: a redelivery
                // runs Handle again and its save fails on a unique key, which rolls the repeated effect back.
                Db.Set<InboxMessage>().Add(new InboxMessage { MessageId = messageId, ConsumerName = consumerName, ReceivedAt = time.GetUtcNow() });
                try
                {
                    await Handle(context);
                    if (transaction is null) await SaveAsOneBatchAsync(cancellationToken);
                    else await Db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
                {
                    if (transaction is not null) await transaction.RollbackAsync(CancellationToken.None);
                    Db.ChangeTracker.Clear();
                    // The repeated effect can meet its own unique key before the inbox row meets the inbox's: whichever key
                    // refused the save, a committed inbox row means another delivery of this message took effect.
                    if (await Db.Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId && m.ConsumerName == consumerName, cancellationToken))
                    {
                        return false;
                    }

                    throw;
                }

                if (transaction is not null) await transaction.CommitAsync(CancellationToken.None);
                RunAfterCommit();
                return true;
            },
            context.CancellationToken);
    }
}
