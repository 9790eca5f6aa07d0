using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Api.Domain;

namespace Payments.Api.Data;

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> entry)
    {
        entry.ToTable("ledger_entries");
        entry.HasKey(e => e.Id);
        entry.Property(e => e.PracticeOds).HasMaxLength(6);
        entry.Property(e => e.Currency).HasMaxLength(3);
        entry.Property(e => e.ServiceCode).HasMaxLength(32);
        entry.Property(e => e.Period).HasMaxLength(16);
        entry.Property(e => e.RemittanceReference).HasMaxLength(18);
        entry.Property(e => e.Amount).HasPrecision(14, 2);
        // The guarantee that nothing is paid twice: one ledger entry per submission version.
        entry.HasIndex(e => new { e.SubmissionId, e.SubmissionVersion }).IsUnique();
        entry.HasIndex(e => e.RemittanceReference).IsUnique();
        entry.HasIndex(e => e.PaymentId).IsUnique();
        // And one per (practice, service, period): amending can never get two versions paid.
        entry.HasIndex(e => new { e.PracticeOds, e.ServiceCode, e.Period }).IsUnique();
    }
}
