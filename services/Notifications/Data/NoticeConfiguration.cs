using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Notifications.Api.Domain;

namespace Notifications.Api.Data;

internal sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> notice)
    {
        notice.HasKey(n => n.Id);
        notice.Property(n => n.Kind).HasMaxLength(64);
        notice.Property(n => n.Title).HasMaxLength(300);
        notice.Property(n => n.Link).HasMaxLength(2000);
        // The in-app channel's exactly-once key: one notice per (event, person).
        notice.HasIndex(n => new { n.SourceMessageId, n.RecipientUserId }).IsUnique();
        // A person's inbox, newest first.
        notice.HasIndex(n => new { n.RecipientUserId, n.CreatedAt });
    }
}
