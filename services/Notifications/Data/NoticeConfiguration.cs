using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Notifications.Api.Domain;

namespace Notifications.Api.Data;

internal sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> notice)
    {
        notice.HasKey(n => n.Id);
        notice.Property(n => n.Recipient).HasMaxLength(100);
        notice.Property(n => n.Kind).HasMaxLength(64);
        notice.Property(n => n.Title).HasMaxLength(300);
        notice.HasIndex(n => new { n.SourceMessageId, n.Recipient }).IsUnique();
        notice.HasIndex(n => new { n.Recipient, n.CreatedAt });
    }
}
