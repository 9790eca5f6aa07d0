using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Payments.Api.Domain;

namespace Payments.Api.Data;

internal sealed class PracticeConfiguration : IEntityTypeConfiguration<Practice>
{
    public void Configure(EntityTypeBuilder<Practice> practice)
    {
        practice.HasKey(p => p.Ods);
        practice.Property(p => p.Ods).HasMaxLength(6);
        practice.Property(p => p.Icb).HasMaxLength(8);
    }
}
