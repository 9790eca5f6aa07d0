using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Submissions.Api.Domain;

namespace Submissions.Api.Data;

internal sealed class SubmissionConfiguration : IEntityTypeConfiguration<Submission>
{
    public void Configure(EntityTypeBuilder<Submission> submission)
    {
        submission.HasKey(s => s.Id);
        submission.Property(s => s.Id).ValueGeneratedNever();
        submission.Ignore(s => s.DomainEvents);
        submission.Property(s => s.PracticeOds).HasMaxLength(6);
        submission.Property(s => s.ServiceCode).HasMaxLength(32);
        submission.Property(s => s.Period).HasMaxLength(16);
        submission.Property(s => s.FinancialYear).HasMaxLength(7);
        submission.Property(s => s.SubmittedBy).HasMaxLength(200);
        submission.Property(s => s.Status).HasMaxLength(32);
        submission.Property(s => s.ContentSha256).HasMaxLength(64);
        submission.Property(s => s.IdempotencyKey).HasMaxLength(200);
        submission.Property(s => s.TraceId).HasMaxLength(32);
        submission.Property(s => s.RowVersion).IsRowVersion();

        // The same Idempotency-Key from the same practice always means the same submission.
        submission.HasIndex(s => new { s.PracticeOds, s.IdempotencyKey }).IsUnique();
        // Versions of one (practice, service, period) are numbered 1, 2, 3...: never two with one number.
        submission.HasIndex(s => new { s.PracticeOds, s.ServiceCode, s.Period, s.Version }).IsUnique();
        submission.HasIndex(s => new { s.Status, s.ReceivedAt });
        // The watchdog's scan: unfinished submissions not yet reported stalled.
        submission.HasIndex(s => s.ReceivedAt).HasFilter("stalled_at IS NULL AND status NOT IN ('paid', 'rejected', 'declined', 'payment-failed', 'superseded', 'awaiting-approval')");

        submission.OwnsMany(s => s.Values, values => values.ToJson());
        submission.OwnsOne(s => s.Payment, payment =>
        {
            payment.ToJson();
            payment.OwnsMany(p => p.Lines);
        });
        submission.HasMany(s => s.Timeline).WithOne().HasForeignKey(entry => entry.SubmissionId);
        submission.Navigation(s => s.Timeline).AutoInclude();
    }
}
