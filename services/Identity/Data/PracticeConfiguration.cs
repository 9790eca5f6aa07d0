using Identity.Api.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Identity.Api.Data;

internal sealed class PracticeConfiguration : IEntityTypeConfiguration<Practice>
{
    public void Configure(EntityTypeBuilder<Practice> builder)
    {
        builder.ToTable("practices");
        builder.HasKey(practice => practice.Ods);
        builder.Property(practice => practice.Ods).HasMaxLength(10);
        builder.Property(practice => practice.Name).HasMaxLength(200);
        builder.Property(practice => practice.Icb).HasMaxLength(10);
        builder.HasIndex(practice => practice.Icb);
    }
}
