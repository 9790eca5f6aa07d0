using Microsoft.EntityFrameworkCore;

namespace Platform.Messaging;

public static class ModelBuilderExtensions
{
    /// <summary>Maps <see cref="OutboxMessage"/> to "outbox_messages" and <see cref="InboxMessage"/> to "inbox_messages", so the service's migrations create them.</summary>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.HasKey(m => m.Id).HasName("pk_outbox_messages");
            outbox.Property(m => m.Id).HasColumnName("id").UseIdentityByDefaultColumn();
            outbox.Property(m => m.MessageId).HasColumnName("message_id");
            outbox.Property(m => m.MessageType).HasColumnName("message_type").IsRequired();
            outbox.Property(m => m.Body).HasColumnName("body").HasColumnType("jsonb").IsRequired();
            outbox.Property(m => m.TraceParent).HasColumnName("trace_parent");
            outbox.Property(m => m.TraceState).HasColumnName("trace_state");
            outbox.Property(m => m.CreatedAt).HasColumnName("created_at");
            outbox.Property(m => m.NextAttemptAt).HasColumnName("next_attempt_at");
            outbox.Property(m => m.SentAt).HasColumnName("sent_at");
            outbox.Property(m => m.Attempts).HasColumnName("attempts");
            outbox.Property(m => m.LastError).HasColumnName("last_error");

            outbox.HasIndex(m => m.MessageId).IsUnique().HasDatabaseName("ix_outbox_messages_message_id");
            // The dispatcher's claim query walks unsent rows in id order; sent rows pile up until retention removes them.
            outbox.HasIndex(m => m.Id).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
            outbox.HasIndex(m => m.SentAt).HasFilter("sent_at IS NOT NULL").HasDatabaseName("ix_outbox_messages_sent_at");
        });

        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable("inbox_messages");
            inbox.HasKey(m => new { m.MessageId, m.ConsumerName }).HasName("pk_inbox_messages");
            inbox.Property(m => m.MessageId).HasColumnName("message_id");
            inbox.Property(m => m.ConsumerName).HasColumnName("consumer_name");
            inbox.Property(m => m.ReceivedAt).HasColumnName("received_at");
            inbox.HasIndex(m => m.ReceivedAt).HasDatabaseName("ix_inbox_messages_received_at");
        });

        return modelBuilder;
    }
}
