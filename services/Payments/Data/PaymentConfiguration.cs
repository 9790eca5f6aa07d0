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
        payment.Property(p => p.Currency).HasMaxLength(3);
        payment.Property(p => p.Status).HasMaxLength(32);
        payment.Property(p => p.RemittanceReference).HasMaxLength(18);
        payment.Property(p => p.Amount).HasPrecision(14, 2);
        payment.Property(p => p.RowVersion).IsRowVersion();
        // One payment per submission version.
        payment.HasIndex(p => new { p.SubmissionId, p.SubmissionVersion }).IsUnique();
        payment.HasIndex(p => p.RemittanceReference).IsUnique();
        payment.HasIndex(p => new { p.Status, p.CalculatedAt });
        payment.OwnsMany(p => p.Lines, lines => lines.ToJson());
    }
}
