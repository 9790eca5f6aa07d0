using Identity.Api.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Identity.Api.Data;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_records");
        builder.HasKey(record => new { record.Caller, record.Key });
        builder.Property(record => record.Caller).HasMaxLength(100);
        builder.Property(record => record.Key).HasMaxLength(100);
        builder.Property(record => record.Fingerprint).HasMaxLength(64);
        builder.Property(record => record.Body).HasColumnType("text"); // replayed byte for byte
        builder.HasIndex(record => record.CreatedAt);
    }
}
