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

    /// <summary>Changes entities (and may call AddOutboxMessage) for the message; the base class saves and commits.</summary>
    protected abstract Task Handle(ConsumeContext<TMessage> context);

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

                await using var transaction = await Db.Database.BeginTransactionAsync(cancellationToken);
                // A failed save fails the whole unit, which runs again from the start: EF Core's savepoint around each save
                // (two more round trips) would never be rolled back to.
                Db.Database.AutoSavepointsEnabled = false;
                // The inbox row goes in the same batch as the effect, not a statement of its own before it: a redelivery
                // runs Handle again and its save fails on a unique key, which rolls the repeated effect back.
                Db.Set<InboxMessage>().Add(new InboxMessage { MessageId = messageId, ConsumerName = consumerName, ReceivedAt = time.GetUtcNow() });
                try
                {
                    await Handle(context);
                    await Db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    Db.ChangeTracker.Clear();
                    // The repeated effect can meet its own unique key before the inbox row meets the inbox's: whichever key
                    // refused the save, a committed inbox row means another delivery of this message took effect.
                    if (await Db.Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId && m.ConsumerName == consumerName, cancellationToken))
                    {
                        return false;
                    }

                    throw;
                }

                await transaction.CommitAsync(CancellationToken.None);
                RunAfterCommit();
                return true;
            },
            context.CancellationToken);
    }
}
