using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Notifications.Api.Domain;

namespace Notifications.Api.Data;

internal sealed class OutgoingEmailConfiguration : IEntityTypeConfiguration<OutgoingEmail>
{
    public void Configure(EntityTypeBuilder<OutgoingEmail> email)
    {
        email.ToTable("outgoing_emails");
        email.HasKey(e => e.Id);
        email.Property(e => e.Recipient).HasMaxLength(320);
        email.Property(e => e.Kind).HasMaxLength(64);
        email.Property(e => e.Subject).HasMaxLength(300);
        email.Property(e => e.Status).HasMaxLength(16);
        email.Property(e => e.TraceParent).HasMaxLength(128);
        // A redelivered event sends nothing more: one email per (event, recipient).
        email.HasIndex(e => new { e.SourceMessageId, e.Recipient }).IsUnique();
        // The sender's queue: due pending mail, oldest first.
        email.HasIndex(e => new { e.Status, e.NextAttemptAt });
    }
}
