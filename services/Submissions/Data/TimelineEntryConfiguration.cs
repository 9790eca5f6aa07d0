using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Submissions.Api.Domain;

namespace Submissions.Api.Data;

internal sealed class TimelineEntryConfiguration : IEntityTypeConfiguration<TimelineEntry>
{
    public void Configure(EntityTypeBuilder<TimelineEntry> entry)
    {
        entry.ToTable("timeline_entries");
        entry.HasKey(e => e.Id);
        entry.Property(e => e.Status).HasMaxLength(32);
        entry.Property(e => e.Detail).HasMaxLength(1000);
        entry.Property(e => e.TraceId).HasMaxLength(32);
        entry.HasIndex(e => new { e.SubmissionId, e.Id });
        // A submission passes through each status at most once, so however often an event is replayed it is recorded once.
        entry.HasIndex(e => new { e.SubmissionId, e.Status }).IsUnique();
    }
}
