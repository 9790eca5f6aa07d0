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
        email.Property(e => e.LastError).HasMaxLength(500);
        // The email channel's exactly-once key: one email per (event, address).
        email.HasIndex(e => new { e.SourceMessageId, e.Recipient }).IsUnique();
        // The sender's queue: due pending mail, oldest first.
        email.HasIndex(e => new { e.Status, e.NextAttemptAt });
        email.HasMany<EmailAttempt>().WithOne().HasForeignKey(a => a.EmailId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EmailAttemptConfiguration : IEntityTypeConfiguration<EmailAttempt>
{
    public void Configure(EntityTypeBuilder<EmailAttempt> attempt)
    {
        attempt.ToTable("email_attempts");
        attempt.HasKey(a => a.Id);
        attempt.Property(a => a.Id).UseIdentityAlwaysColumn();
        attempt.Property(a => a.Outcome).HasMaxLength(16);
        attempt.Property(a => a.Error).HasMaxLength(500);
        attempt.HasIndex(a => new { a.EmailId, a.AttemptedAt });
    }
}
