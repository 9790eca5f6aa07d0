using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Api.Domain;

namespace Payments.Api.Data;

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> payment)
    {
        payment.HasKey(p => p.Id);
        payment.Property(p => p.Id).ValueGeneratedNever();
        payment.Property(p => p.PracticeOds).HasMaxLength(6);
        payment.Property(p => p.ServiceCode).HasMaxLength(32);
        payment.Property(p => p.Period).HasMaxLength(16);
        payment.Property(p => p.FinancialYear).HasMaxLength(7);
        payment.Property(p => p.Icb).HasMaxLength(8);
        payment.Property(p => p.ApprovalReason).HasMaxLength(500);
        payment.Property(p => p.DecidedBy).HasMaxLength(200);
        payment.Property(p => p.DecidedByName).HasMaxLength(200);
        payment.Property(p => p.DecisionReason).HasMaxLength(1000);
        payment.Property(p => p.FailureReason).HasMaxLength(1000);
        payment.Property(p => p.TraceParent).HasMaxLength(64);
        payment.Property(p => p.Currency).HasMaxLength(3);
        payment.Property(p => p.Status).HasMaxLength(32);
        payment.Property(p => p.RemittanceReference).HasMaxLength(18);
        payment.Property(p => p.Amount).HasPrecision(14, 2);
        payment.Property(p => p.RowVersion).IsRowVersion();
        payment.Ignore(p => p.DomainEvents);
        // One payment per submission version.
        payment.HasIndex(p => new { p.SubmissionId, p.SubmissionVersion }).IsUnique();
        payment.HasIndex(p => p.RemittanceReference).IsUnique();
        payment.HasIndex(p => new { p.Status, p.CalculatedAt });
        payment.HasIndex(p => new { p.PracticeOds, p.ServiceCode, p.Period });
        payment.HasIndex(p => new { p.Icb, p.Status });
        // The posting job's and the reminder job's scans.
        payment.HasIndex(p => p.NextPostingAt).HasFilter("next_posting_at IS NOT NULL");
        payment.HasIndex(p => p.DecideBy).HasFilter("status = 'awaiting-approval'");
        payment.OwnsMany(p => p.Lines, lines => lines.ToJson());
        payment.OwnsMany(p => p.History, history => history.ToJson());
    }
}
